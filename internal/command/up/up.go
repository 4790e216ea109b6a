//go:build !nodeimage

// Package up is `redis-dock up`: bring a cluster to health in one command.
package up

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/flags"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

// NewCommand returns the up command.
func NewCommand(env *status.Env) *cobra.Command {
	sf := flags.NewSpecFlags()
	var retain bool
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Create a Redis Cluster or sentinel group (or confirm it is up) and wait until it is healthy",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := sf.Spec(cmd)
			if err != nil {
				return err
			}
			if s.Mode == spec.ModeSentinel {
				return upSentinel(cmd.Context(), env, s, retain)
			}
			c, err := redisdock.Up(cmd.Context(), s, cluster.WithLogger(env.Logger), redisdock.WithRetain(retain))
			if err != nil {
				return err
			}
			defer c.Close()
			printSummary(env, c)
			return nil
		},
	}
	sf.Register(cmd)
	cmd.Flags().BoolVar(&retain, "retain", false, "keep what a failed up created, for debugging")
	return cmd
}

func printSummary(env *status.Env, c *redisdock.Cluster) {
	w, s := env.Stdout, c.Spec()
	fmt.Fprintf(w, "Cluster %q is healthy: %d masters, %d replicas (%s).\n", s.Name, s.Masters, s.Nodes()-s.Masters, c.Elapsed().Round(time.Millisecond))
	fmt.Fprintf(w, "Seeds: %s\n", strings.Join(c.Addrs(), ","))
	printTryIt(w, s, fmt.Sprintf("-c -p %d", s.Port))
}
