// Package fault is `redis-dock fault`: break a cluster on purpose, to
// rehearse what clients and operators do when a node dies, hangs or is
// cut off.
package fault

import (
	"fmt"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
)

// verbs are the sub-commands, one per fault-kit verb.
var verbs = []struct{ verb, short string }{
	{"kill", "Kill nodes' containers (SIGKILL, like a crash)"},
	{"stop", "Stop nodes' containers gracefully"},
	{"start", "Start stopped or killed nodes' containers"},
	{"pause", "Freeze nodes (docker pause): hung, with their sockets open"},
	{"unpause", "Thaw paused nodes"},
	{"partition", "Cut nodes off the cluster's network"},
	{"reconnect", "Attach partitioned nodes again, at their own addresses"},
	{"restart", "Restart nodes' containers (every node when none is given)"},
}

// NewCommand returns the fault command and its verbs.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "fault",
		Short: "Inject a fault: kill, stop, start, pause, unpause, partition, reconnect or restart nodes (NODE = port or container)",
	}
	cmdutil.NameFlag(cmd.PersistentFlags(), &name, "cluster name")
	for _, v := range verbs {
		verb, use, args := v.verb, v.verb+" NODE...", cobra.MinimumNArgs(1)
		if verb == "restart" {
			use, args = "restart [NODE...]", cobra.ArbitraryArgs
		}
		cmd.AddCommand(&cobra.Command{
			Use: use, Short: v.short, Args: args,
			RunE: func(cmd *cobra.Command, nodes []string) error {
				f, err := redisdock.InjectFault(cmd.Context(), name, verb, nodes, cluster.WithLogger(env.Logger))
				if err != nil {
					return err
				}
				fmt.Fprintln(env.Stdout, f)
				return nil
			},
		})
	}
	return cmd
}
