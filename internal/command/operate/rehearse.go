//go:build !nodeimage

package operate

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
)

// verbs are fault's sub-commands, one per fault-kit verb.
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

// newFault is `redis-dock fault`: break a cluster on purpose, to rehearse
// what clients and operators do when a node dies, hangs or is cut off.
func newFault(t *target) *cobra.Command {
	cmd := t.command("fault", "Inject a fault: kill, stop, start, pause, unpause, partition, reconnect or restart nodes (NODE = port or container)",
		nil, nil)
	for _, v := range verbs {
		verb, use, args := v.verb, v.verb+" NODE...", cobra.MinimumNArgs(1)
		if verb == "restart" {
			use, args = "restart [NODE...]", cobra.ArbitraryArgs
		}
		cmd.AddCommand(&cobra.Command{
			Use: use, Short: v.short, Args: args,
			RunE: func(cmd *cobra.Command, nodes []string) error {
				f, err := redisdock.InjectFault(cmd.Context(), t.name, verb, nodes, t.log())
				if err == nil {
					t.printf("%s\n", f)
				}
				return err
			},
		})
	}
	return cmd
}

// newWait is `redis-dock wait`: wait for what a rehearsal needs after a
// fault: a slot failed over, every slot served, or full health.
func newWait(t *target) *cobra.Command {
	var timeout time.Duration
	cmd := t.command("wait", "Wait until a slot has failed over, every slot is served, or the cluster is healthy",
		nil, nil)
	cmd.PersistentFlags().DurationVar(&timeout, "timeout", 60*time.Second, "how long to wait before failing")
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
			err = t.step(fmt.Sprintf("Waiting for slot %d to be served by a reachable master", slot), func() (err error) {
				m, err = redisdock.WaitFailover(cmd.Context(), t.name, slot, timeout, t.log())
				return err
			})
			if err == nil {
				t.printf("slot %d is served by %s (port %d)\n", slot, m.Container, m.Port)
			}
			return err
		},
	})
	cmd.AddCommand(t.waitFor("serving", "Wait until every slot is served by a reachable master, even with nodes down",
		"Waiting for every slot to be served", &timeout, redisdock.WaitServing))
	cmd.AddCommand(t.waitFor("healthy", "Wait until the cluster is healthy, as status says",
		"Waiting for the cluster to be healthy", &timeout, redisdock.WaitHealthy))
	return cmd
}

// waitFor is a `wait` condition without arguments: wait under a status
// line.
func (t *target) waitFor(use, short, what string, timeout *time.Duration,
	wait func(context.Context, string, time.Duration, ...redisdock.Option) error) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return t.step(what, func() error { return wait(cmd.Context(), t.name, *timeout, t.log()) })
		},
	}
}

// step runs wait under a status line that ends in ✓ or ✗.
func (t *target) step(what string, wait func() error) error {
	st := t.Logger.Start("%s", what)
	defer st.End(false)
	return st.Done(wait())
}
