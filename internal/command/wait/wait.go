// Package wait is `redis-dock wait`: wait for what a rehearsal needs
// after a fault: a slot failed over, every slot served, or full health.
package wait

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
)

// NewCommand returns the wait command and its conditions.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "wait",
		Short: "Wait until a slot has failed over, every slot is served, or the cluster is healthy",
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&name, "name", "default", "cluster name")
	pf.DurationVar(&timeout, "timeout", 60*time.Second, "how long to wait before failing")
	cmd.AddCommand(&cobra.Command{
		Use:   "failover SLOT",
		Short: "Wait until SLOT is served by a reachable master that takes writes",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			slot, err := strconv.Atoi(args[0])
			if err != nil || slot < 0 || slot > 16383 {
				return fmt.Errorf("SLOT %q: give a hash slot, 0-16383", args[0])
			}
			st := env.Logger.Start("Waiting for slot %d to be served by a reachable master", slot)
			defer st.End(false)
			m, err := redisdock.WaitFailover(cmd.Context(), name, slot, timeout, cluster.WithLogger(env.Logger))
			if err != nil {
				return err
			}
			st.End(true)
			fmt.Fprintf(env.Stdout, "slot %d is served by %s (port %d)\n", slot, m.Container, m.Port)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "serving",
		Short: "Wait until every slot is served by a reachable master, even with nodes down",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st := env.Logger.Start("Waiting for every slot to be served")
			defer st.End(false)
			if err := redisdock.WaitServing(cmd.Context(), name, timeout, cluster.WithLogger(env.Logger)); err != nil {
				return err
			}
			st.End(true)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "healthy",
		Short: "Wait until the cluster is healthy, as status says",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st := env.Logger.Start("Waiting for the cluster to be healthy")
			defer st.End(false)
			if err := redisdock.WaitHealthy(cmd.Context(), name, timeout, cluster.WithLogger(env.Logger)); err != nil {
				return err
			}
			st.End(true)
			return nil
		},
	})
	return cmd
}
