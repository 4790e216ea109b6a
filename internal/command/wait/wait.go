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
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
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
	cmdutil.NameFlag(pf, &name, "cluster name")
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
			var m redisdock.FaultNode
			err = step(env, fmt.Sprintf("Waiting for slot %d to be served by a reachable master", slot), func() (err error) {
				m, err = redisdock.WaitFailover(cmd.Context(), name, slot, timeout, cluster.WithLogger(env.Logger))
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "slot %d is served by %s (port %d)\n", slot, m.Container, m.Port)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "serving",
		Short: "Wait until every slot is served by a reachable master, even with nodes down",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return step(env, "Waiting for every slot to be served", func() error {
				return redisdock.WaitServing(cmd.Context(), name, timeout, cluster.WithLogger(env.Logger))
			})
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "healthy",
		Short: "Wait until the cluster is healthy, as status says",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return step(env, "Waiting for the cluster to be healthy", func() error {
				return redisdock.WaitHealthy(cmd.Context(), name, timeout, cluster.WithLogger(env.Logger))
			})
		},
	})
	return cmd
}

// step runs wait under a status line that ends in ✓ or ✗.
func step(env *cli.Env, what string, wait func() error) error {
	st := env.Logger.Start("%s", what)
	defer st.End(false)
	if err := wait(); err != nil {
		return err
	}
	st.End(true)
	return nil
}
