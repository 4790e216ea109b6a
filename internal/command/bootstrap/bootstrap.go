// Package bootstrap is `redis-dock bootstrap`, run in the node image as a
// one-shot Swarm service or compose container: it resolves the nodes by
// their service names, forms the cluster when none exists or heals it,
// and exits 0 once it is healthy.
package bootstrap

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/nodeflags"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
	"github.com/redis-dock/redis-dock/internal/status"
)

// NewCommand returns the bootstrap command.
func NewCommand(env *status.Env) *cobra.Command {
	var wait time.Duration
	cmd := nodeflags.Command("bootstrap", "Form or heal the cluster of a stack or compose project from inside its network",
		func(cmd *cobra.Command, f *nodeflags.Flags, pw string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), wait)
			defer cancel()
			st := env.Logger.Start("Resolving %d nodes (%s<port>)", f.Shape.Masters*(1+f.Shape.Replicas), f.Shape.Prefix)
			members, err := f.Shape.Members(ctx, nodeagent.DNS)
			if err != nil {
				st.End(false)
				return err
			}
			st.End(true)
			c := nodeagent.Cluster(f.Shape, members, pw, wait, env.Logger)
			formed, err := c.Converge(ctx)
			if err != nil {
				return err
			}
			verb := "healthy"
			if formed {
				verb = "formed and healthy"
			}
			fmt.Fprintf(env.Stdout, "Cluster %q is %s (%d nodes)\n", f.Shape.Name, verb, len(members))
			return nil
		})
	cmd.Flags().DurationVar(&wait, "wait", 5*time.Minute, "how long to wait for the nodes and for health")
	return cmd
}
