//go:build !nodeimage

package operate

import (
	"context"

	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
)

// newFailover is `redis-dock failover`: promote a replica by hand.
func newFailover(t *target) *cobra.Command {
	var fo redisdock.FailoverOptions
	cmd := t.command("failover <port>", "Promote the replica on <port> to master (CLUSTER FAILOVER; --force when its master is down)",
		cobra.ExactArgs(1), func(ctx context.Context, args []string) error {
			port, err := strconv.Atoi(args[0])
			if err != nil || port < 1 || port > 65535 {
				return fmt.Errorf("<port> %q: give the client port of a replica, such as 7003", args[0])
			}
			res, err := redisdock.Failover(ctx, t.name, port, fo, t.log())
			if err != nil {
				return err
			}
			from := ""
			if res.OldMaster != "" {
				from = " from " + res.OldMaster
			}
			t.printf("%s is master of %d slots%s (%s).\n", res.Node, res.Slots, from, res.Elapsed.Round(time.Millisecond))
			return nil
		})
	fs := cmd.Flags()
	fs.BoolVar(&fo.Force, "force", false, "fail over without the master's agreement, for when it is down (CLUSTER FAILOVER FORCE)")
	fs.DurationVar(&fo.Timeout, "timeout", 0, "how long to wait for the replica to become master (default: 10s or 4 node timeouts)")
	return cmd
}

// newHeal is `redis-dock heal` (alias fix): repair a cluster after
// trouble.
func newHeal(t *target) *cobra.Command {
	var ho redisdock.HealOptions
	cmd := t.command("heal", "Start stopped nodes, re-meet moved nodes, close open slots, re-replicate orphans; --cover-slots assigns unserved slots",
		cobra.NoArgs, func(ctx context.Context, _ []string) error {
			res, err := redisdock.Heal(ctx, t.name, ho, t.log())
			if res != nil {
				printHealed(t.Stdout, t.name, res, err == nil)
			}
			return err
		})
	cmd.Aliases = []string{"fix"}
	fs := cmd.Flags()
	fs.BoolVar(&ho.CoverSlots, "cover-slots", false, "assign slots no running master serves (their keys on a dead node are lost)")
	fs.DurationVar(&ho.Wait, "wait", 60*time.Second, "how long to wait for the cluster to settle and be healthy")
	return cmd
}

func printHealed(w io.Writer, name string, r *redisdock.HealResult, healthy bool) {
	line := func(what string, names []string) {
		if len(names) > 0 {
			fmt.Fprintf(w, "%s: %s\n", what, strings.Join(names, " "))
		}
	}
	line("Started", r.Started)
	line("Reconnected", r.Reconnected)
	line("Skipped (not running or not answering)", r.Skipped)
	line("Re-met at their current address", r.Remet)
	if r.Closed > 0 {
		fmt.Fprintf(w, "Closed %d open slots.\n", r.Closed)
	}
	if r.Covered > 0 {
		fmt.Fprintf(w, "Covered %d slots.\n", r.Covered)
	}
	for _, ls := range r.Lost {
		fmt.Fprintf(w, "Lost: %s.\n", ls)
	}
	line("Replicas given a master", r.Replicated)
	if healthy {
		fmt.Fprintf(w, "Cluster %q is healthy (%s).\n", name, r.Elapsed.Round(time.Millisecond))
	}
}
