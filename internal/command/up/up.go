// Package up is `redis-dock up`: bring a cluster to health in one command.
package up

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/flags"
	"github.com/redis-dock/redis-dock/internal/docker"
)

// NewCommand returns the up command.
func NewCommand(env *cli.Env) *cobra.Command {
	sf := flags.NewSpecFlags()
	var retain bool
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Create a Redis Cluster (or confirm it is up) and wait until it is healthy",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := sf.Spec(cmd)
			if err != nil {
				return err
			}
			d, err := docker.New()
			if err != nil {
				return err
			}
			defer d.Close()
			res, err := cluster.Up(cmd.Context(), s, cluster.Options{Logger: env.Logger, Docker: d, Retain: retain})
			if err != nil {
				return err
			}
			printSummary(env, res)
			return nil
		},
	}
	sf.Register(cmd)
	cmd.Flags().BoolVar(&retain, "retain", false, "keep what a failed up created, for debugging")
	return cmd
}

func printSummary(env *cli.Env, r *cluster.Result) {
	w := env.Stdout
	fmt.Fprintf(w, "Cluster %q is healthy: %d masters, %d replicas (%s).\n", r.Spec.Name, r.Spec.Masters, r.Spec.Nodes()-r.Spec.Masters, r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "Seeds: %s\n", strings.Join(r.Seeds(), ","))
	fmt.Fprintf(w, "Try it (the password stays out of your shell history):\n")
	fmt.Fprintf(w, "  REDISCLI_AUTH=\"$(redis-dock password --name %s)\" redis-cli -c -p %d\n", r.Spec.Name, r.Spec.Port)
}
