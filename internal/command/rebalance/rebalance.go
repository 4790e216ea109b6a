// Package rebalance is `redis-dock rebalance`: even out the masters' slot
// shares, moving keys live.
package rebalance

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/command/flags"
)

// NewCommand returns the rebalance command.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	var ro cluster.RebalanceOptions
	cmd := &cobra.Command{
		Use:   "rebalance",
		Short: "Move slots (and their keys, live) until every master owns an even share",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := redisdock.Rebalance(cmd.Context(), name, ro, cluster.WithLogger(env.Logger))
			if err != nil {
				return err
			}
			w := env.Stdout
			if res.Closed > 0 {
				fmt.Fprintf(w, "Closed %d open slots left by an interrupted move.\n", res.Closed)
			}
			if res.Moved.Slots == 0 {
				fmt.Fprintf(w, "Cluster %q is balanced over %d masters; nothing moved.\n", name, res.Masters)
				return nil
			}
			fmt.Fprintf(w, "Cluster %q is balanced over %d masters: moved %d slots, %d keys in %s (%.0f keys/s).\n",
				name, res.Masters, res.Moved.Slots, res.Moved.Keys, res.Moved.Elapsed.Round(time.Millisecond), res.Moved.KeysPerSecond())
			return nil
		},
	}
	fs := cmd.Flags()
	cmdutil.NameFlag(fs, &name, "cluster name")
	fs.BoolVar(&ro.UseEmptyMasters, "use-empty-masters", false, "give masters without slots a share too")
	fs.DurationVar(&ro.Wait, "wait", 60*time.Second, "how long to wait for the cluster to settle")
	flags.RegisterMove(cmd, &ro.Move)
	return cmd
}
