package swarm

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/status"
	rdswarm "github.com/redis-dock/redis-dock/swarm"
)

func newEvacuate(env *status.Env) *cobra.Command {
	var wait time.Duration
	cmd := named(env).Command("evacuate HOST", "Re-place the nodes of a Swarm node that is gone for good on the other nodes, with fresh volumes", cobra.ExactArgs(1),
		func(ctx context.Context, name string, args []string, o rdswarm.Options) error {
			res, err := rdswarm.Evacuate(ctx, name, args[0], wait, o)
			if res != nil {
				printEvacuated(env, res)
			}
			return err
		})
	cmd.Long = "For a host that will not come back (HOST is its Swarm hostname or node ID, and it must be down): " +
		"its nodes are pinned to ready hosts, each away from its master and replicas where the host count allows, " +
		"start with fresh volumes and join as replicas of the masters that lost theirs; then the cluster is checked."
	cmd.Flags().DurationVar(&wait, "wait", 2*time.Minute, "how long to wait for the cluster to be healthy")
	return cmd
}

func printEvacuated(env *status.Env, r *rdswarm.Evacuated) {
	var nodes []string
	for n := range r.Moved {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	for _, n := range nodes {
		fmt.Fprintf(env.Stdout, "%s moved from %s to %s\n", n, r.Host, r.Moved[n])
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(env.Stdout, "warning: %s\n", w)
	}
	if r.Report.Healthy {
		fmt.Fprintf(env.Stdout, "The cluster is healthy with %d nodes.\n", len(r.Report.Nodes))
	}
}
