//go:build !nodeimage

package operate

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// newUpgrade is `redis-dock upgrade`: roll a new node image and/or config
// through a running cluster, one node at a time, while it serves.
func newUpgrade(t *target) *cobra.Command {
	var uo redisdock.UpgradeOptions
	var cmd *cobra.Command
	cmd = t.command("upgrade [--image IMG] [--config 'k v' ...]",
		"Replace every node with one from a new image and/or config, while the cluster serves",
		cobra.NoArgs, func(ctx context.Context, _ []string) error {
			if !cmd.Flags().Changed("config") {
				uo.Config = nil
			} else if uo.Config == nil {
				uo.Config = []string{}
			}
			res, err := redisdock.Upgrade(ctx, t.name, uo, t.log())
			if err == nil {
				t.printUpgraded(uo, res)
			}
			return err
		})
	cmd.Long = "Upgrade a cluster made by `up` (bridge or host network). Each node's container is made again on its own " +
		"volume, address and port: replicas first, one at a time, each waited for until linked and caught up; then " +
		"each master after CLUSTER FAILOVER to its upgraded replica. The cluster is checked healthy after every node. " +
		"Settings Redis accepts at runtime are set without a restart. Nodes already on the new image and config are " +
		"skipped, so running it again resumes an interrupted upgrade. A sentinel group (up --mode sentinel) is upgraded " +
		"replicas first, then the sentinels one at a time, then SENTINEL FAILOVER to an up-to-date replica (the master's " +
		"writes paused until every sentinel names the new one) and the old master last."
	fs := cmd.Flags()
	row, _ := spec.FieldByFlag("image")
	fs.StringVar(&uo.Image, "image", "", row.Usage+" (default: the cluster's, whose tag may point at a newer build)")
	row, _ = spec.FieldByFlag("config")
	fs.StringArrayVar(&uo.Config, "config", nil, row.Usage+"; replaces the cluster's list (default: kept)")
	fs.BoolVar(&uo.DryRun, "dry-run", false, "print the plan and change nothing")
	fs.BoolVar(&uo.AllowDowntime, "allow-downtime", false, "replace masters that have no replica in place: their slots are down meanwhile")
	fs.DurationVar(&uo.Wait, "wait", 60*time.Second, "how long to wait for each node and for health")
	return cmd
}

func (t *target) printUpgraded(uo redisdock.UpgradeOptions, r *redisdock.UpgradeResult) {
	r.Print(t.Stdout, uo.DryRun)
}
