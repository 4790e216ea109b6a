package swarm

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/status"
	rdswarm "github.com/redis-dock/redis-dock/swarm"
)

func newUpgrade(env *status.Env) *cobra.Command {
	var uo rdswarm.UpgradeOptions
	cmd := named(env).Command("upgrade --image IMG", "Roll a new node image through a Swarm stack, one service at a time, while the cluster serves", cobra.NoArgs,
		func(ctx context.Context, name string, _ []string, o rdswarm.Options) error {
			res, err := rdswarm.Upgrade(ctx, name, uo, o)
			if err == nil {
				res.Print(env.Stdout, uo.DryRun)
			}
			return err
		})
	cmd.Long = "Update the services of a stack made by `swarm up` (or `docker stack deploy` of a rendered stack) to a new " +
		"node image: the replicas' services first, one at a time, each waited for until its new task runs and the " +
		"cluster is healthy with the node's ID unchanged; then for each master CLUSTER FAILOVER to its upgraded replica " +
		"(from a job on the overlay) and its own service last. Services on the new image already are skipped, so running " +
		"it again resumes an interrupted upgrade. Every host needs the image (no registry is used)."
	fs := cmd.Flags()
	fs.StringVar(&uo.Image, "image", "", "the new node image (required)")
	fs.BoolVar(&uo.DryRun, "dry-run", false, "print the plan and change nothing")
	fs.BoolVar(&uo.AllowDowntime, "allow-downtime", false, "update masters that have no replica in place: their slots are down meanwhile")
	fs.DurationVar(&uo.Wait, "wait", time.Minute, "how long to wait for each node and for health")
	return cmd
}
