// Package failover is `redis-dock failover`: promote a replica by hand.
package failover

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

// NewCommand returns the failover command.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	var fo cluster.FailoverOptions
	cmd := &cobra.Command{
		Use:   "failover <port>",
		Short: "Promote the replica on <port> to master (CLUSTER FAILOVER; --force when its master is down)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			port, err := strconv.Atoi(args[0])
			if err != nil || port < 1 || port > 65535 {
				return fmt.Errorf("<port> %q: give the client port of a replica, such as 7003", args[0])
			}
			res, err := redisdock.Failover(cmd.Context(), name, port, fo, cluster.WithLogger(env.Logger))
			if err != nil {
				return err
			}
			from := ""
			if res.OldMaster != "" {
				from = " from " + res.OldMaster
			}
			fmt.Fprintf(env.Stdout, "%s is master of %d slots%s (%s).\n", res.Node, res.Slots, from, res.Elapsed.Round(time.Millisecond))
			return nil
		},
	}
	fs := cmd.Flags()
	cmdutil.NameFlag(fs, &name, "cluster name")
	fs.BoolVar(&fo.Force, "force", false, "fail over without the master's agreement, for when it is down (CLUSTER FAILOVER FORCE)")
	fs.DurationVar(&fo.Timeout, "timeout", 0, "how long to wait for the replica to become master (default: 10s or 4 node timeouts)")
	return cmd
}
