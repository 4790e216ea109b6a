// Package list is `redis-dock list`: the clusters found by label.
package list

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
)

// NewCommand returns the list command.
func NewCommand(env *cli.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List clusters with their node count and state",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := docker.New()
			if err != nil {
				return err
			}
			defer d.Close()
			o := cluster.Options{Docker: d}
			all, err := cluster.List(cmd.Context(), o)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tMODE\tNETWORK\tNODES\tPORTS\tSTATE")
			for _, s := range all {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d running\t%s\t%s\n", s.Name, s.Mode, s.Network, s.Running, s.Nodes, s.Ports, state(cmd.Context(), s, o))
			}
			return tw.Flush()
		},
	}
}

func state(ctx context.Context, s cluster.Summary, o cluster.Options) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := cluster.GetStatus(ctx, s.Name, o)
	switch {
	case err != nil:
		return "unknown"
	case st.Healthy:
		return "healthy"
	default:
		return "unhealthy"
	}
}
