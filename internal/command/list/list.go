//go:build !nodeimage

// Package list is `redis-dock list`: the clusters found by label.
package list

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

// NewCommand returns the list command.
func NewCommand(env *status.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List clusters with their node count and state",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all, err := redisdock.List(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tMODE\tNETWORK\tNODES\tPORTS\tSTATE")
			for _, s := range all {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d running\t%s\t%s\n", s.Name, s.Mode, s.Network, s.Running, s.Nodes, s.Ports, state(cmd.Context(), s))
			}
			return tw.Flush()
		},
	}
}

func state(ctx context.Context, s redisdock.Summary) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if s.Mode == "" {
		return "unknown (no spec label)"
	}
	if s.Mode == spec.ModeSentinel {
		return sentinelState(ctx, s.Name)
	}
	st, err := redisdock.GetStatus(ctx, s.Name)
	return cmdutil.Health(err == nil && st.Healthy, err)
}
