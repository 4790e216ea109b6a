// Package upgrade is `redis-dock upgrade`: roll a new node image and/or
// config through a running cluster, one node at a time, while it serves.
package upgrade

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// NewCommand returns the upgrade command.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	var uo cluster.UpgradeOptions
	cmd := &cobra.Command{
		Use:   "upgrade [--image IMG] [--config 'k v' ...]",
		Short: "Replace every node with one from a new image and/or config, while the cluster serves",
		Long: "Upgrade a cluster made by `up` (bridge or host network). Each node's container is made again on its own " +
			"volume, address and port: replicas first, one at a time, each waited for until linked and caught up; then " +
			"each master after CLUSTER FAILOVER to its upgraded replica. The cluster is checked healthy after every node. " +
			"Settings Redis accepts at runtime are set without a restart. Nodes already on the new image and config are " +
			"skipped, so running it again resumes an interrupted upgrade.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("config") {
				uo.Config = nil
			} else if uo.Config == nil {
				uo.Config = []string{}
			}
			res, err := redisdock.Upgrade(cmd.Context(), name, uo, cluster.WithLogger(env.Logger))
			if err != nil {
				return err
			}
			printResult(env, uo, res)
			return nil
		},
	}
	fs := cmd.Flags()
	cmdutil.NameFlag(fs, &name, "cluster name")
	row, _ := spec.FieldByFlag("image")
	fs.StringVar(&uo.Image, "image", "", row.Usage+" (default: the cluster's, whose tag may point at a newer build)")
	row, _ = spec.FieldByFlag("config")
	fs.StringArrayVar(&uo.Config, "config", nil, row.Usage+"; replaces the cluster's list (default: kept)")
	fs.BoolVar(&uo.DryRun, "dry-run", false, "print the plan and change nothing")
	fs.BoolVar(&uo.AllowDowntime, "allow-downtime", false, "replace masters that have no replica in place: their slots are down meanwhile")
	fs.DurationVar(&uo.Wait, "wait", 60*time.Second, "how long to wait for each node and for health")
	return cmd
}

func printResult(env *cli.Env, uo cluster.UpgradeOptions, r *cluster.UpgradeResult) {
	w := env.Stdout
	if uo.DryRun {
		fmt.Fprintf(w, "Plan for cluster %q (image %s):\n%s", r.Spec.Name, r.Spec.Image, r.Plan)
		printConfig(env, r)
		return
	}
	fmt.Fprintf(w, "Cluster %q runs image %s (%s).\n", r.Spec.Name, r.Spec.Image, r.Elapsed.Round(time.Millisecond))
	if len(r.Replaced) > 0 {
		fmt.Fprintf(w, "Replaced: %s\n", strings.Join(r.Replaced, " "))
	}
	if len(r.Failovers) > 0 {
		fmt.Fprintf(w, "Failed over: %s\n", strings.Join(r.Failovers, ", "))
	}
	if len(r.SetLive) > 0 {
		fmt.Fprintf(w, "Config set at runtime on: %s\n", strings.Join(r.SetLive, " "))
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "Already current: %s\n", strings.Join(r.Skipped, " "))
	}
	printConfig(env, r)
}

func printConfig(env *cli.Env, r *cluster.UpgradeResult) {
	if len(r.Runtime) > 0 {
		fmt.Fprintf(env.Stdout, "Set at runtime, no restart: %s\n", strings.Join(r.Runtime, " "))
	}
	if len(r.Restart) > 0 {
		fmt.Fprintf(env.Stdout, "Needed a restart (new containers): %s\n", strings.Join(r.Restart, " "))
	}
}
