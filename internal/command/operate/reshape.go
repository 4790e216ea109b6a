//go:build !nodeimage

package operate

import (
	"context"

	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/flags"
)

// newScale is `redis-dock scale`: change a cluster's number of masters
// and replicas while it serves, moving slots and keys live.
func newScale(t *target) *cobra.Command {
	so := redisdock.ScaleOptions{Masters: -1, Replicas: -1}
	cmd := t.command("scale --masters M [--replicas R]", "Add or remove masters and replicas; slots and keys move live, the cluster keeps serving",
		cobra.NoArgs, func(ctx context.Context, _ []string) error {
			if so.Masters < 0 && so.Replicas < 0 {
				return errors.New("--masters or --replicas: give the size to scale to")
			}
			if so.Linger == 0 {
				so.Linger = -1 // the flag's 0 means none; the library's means its default
			}
			res, err := redisdock.Scale(ctx, t.name, so, t.log())
			if err == nil {
				t.printScaled(res)
			}
			return err
		})
	cmd.Long = "Scale a cluster made by `up`. New nodes get the next ports and addresses and join; slots move " +
		"(MIGRATE, in pipelines) until every master owns an even share; masters that go are drained " +
		"first, then forgotten by every node and removed with their volumes. Run it again to resume " +
		"after an interruption."
	fs := cmd.Flags()
	fs.IntVar(&so.Masters, "masters", -1, "number of masters (at least 3; default: unchanged)")
	fs.IntVar(&so.Replicas, "replicas", -1, "replicas per master (default: unchanged)")
	fs.DurationVar(&so.Wait, "wait", 60*time.Second, "how long to wait for each step to settle")
	fs.DurationVar(&so.Linger, "linger", 30*time.Second, "at most this long, nodes to remove keep answering MOVED until clients stop asking them (0: remove at once)")
	flags.RegisterMove(cmd, &so.Move)
	return cmd
}

func (t *target) printScaled(r *redisdock.ScaleResult) {
	t.printf("Cluster %q has %d masters, %d replicas each (%s).\n", r.Spec.Name, r.Spec.Masters, r.Spec.Replicas, r.Elapsed.Round(time.Millisecond))
	t.printClosed(r.Closed)
	if len(r.Added) > 0 {
		t.printf("Added: %s\n", strings.Join(r.Added, " "))
	}
	if len(r.Promoted) > 0 {
		t.printf("Promoted: %s\n", strings.Join(r.Promoted, " "))
	}
	if r.Moved.Slots > 0 {
		t.printf("Moved %s.\n", moved(r.Moved))
	}
	if len(r.Removed) > 0 {
		t.printf("Removed: %s\n", strings.Join(r.Removed, " "))
	}
}

// newRebalance is `redis-dock rebalance`: even out the masters' slot
// shares, moving keys live.
func newRebalance(t *target) *cobra.Command {
	var ro redisdock.RebalanceOptions
	cmd := t.command("rebalance", "Move slots (and their keys, live) until every master owns an even share",
		cobra.NoArgs, func(ctx context.Context, _ []string) error {
			res, err := redisdock.Rebalance(ctx, t.name, ro, t.log())
			if err != nil {
				return err
			}
			t.printClosed(res.Closed)
			if res.Moved.Slots == 0 {
				t.printf("Cluster %q is balanced over %d masters; nothing moved.\n", t.name, res.Masters)
				return nil
			}
			t.printf("Cluster %q is balanced over %d masters: moved %s.\n", t.name, res.Masters, moved(res.Moved))
			return nil
		})
	fs := cmd.Flags()
	fs.BoolVar(&ro.UseEmptyMasters, "use-empty-masters", false, "give masters without slots a share too")
	fs.DurationVar(&ro.Wait, "wait", 60*time.Second, "how long to wait for the cluster to settle")
	flags.RegisterMove(cmd, &ro.Move)
	return cmd
}

// printClosed says how many open slots an interrupted move had left.
func (t *target) printClosed(n int) {
	if n > 0 {
		t.printf("Closed %d open slots left by an interrupted move.\n", n)
	}
}

// moved is what a move did: slots, keys, time and rate.
func moved(m cluster.MoveStats) string {
	return fmt.Sprintf("%d slots, %d keys in %s (%.0f keys/s)", m.Slots, m.Keys, m.Elapsed.Round(time.Millisecond), m.KeysPerSecond())
}
