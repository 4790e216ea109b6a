// Package scale is `redis-dock scale`: change a cluster's number of
// masters and replicas while it serves, moving slots and keys live.
package scale

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/command/flags"
)

// NewCommand returns the scale command.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	so := cluster.ScaleOptions{Masters: -1, Replicas: -1}
	cmd := &cobra.Command{
		Use:   "scale --masters M [--replicas R]",
		Short: "Add or remove masters and replicas; slots and keys move live, the cluster keeps serving",
		Long: "Scale a cluster made by `up`. New nodes get the next ports and addresses and join; slots move " +
			"(MIGRATE, in pipelines) until every master owns an even share; masters that go are drained " +
			"first, then forgotten by every node and removed with their volumes. Run it again to resume " +
			"after an interruption.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if so.Masters < 0 && so.Replicas < 0 {
				return errors.New("--masters or --replicas: give the size to scale to")
			}
			if so.Linger == 0 {
				so.Linger = -1 // the flag's 0 means none; the library's means its default
			}
			res, err := redisdock.Scale(cmd.Context(), name, so, cluster.WithLogger(env.Logger))
			if err != nil {
				return err
			}
			printResult(env, res)
			return nil
		},
	}
	fs := cmd.Flags()
	cmdutil.NameFlag(fs, &name, "cluster name")
	fs.IntVar(&so.Masters, "masters", -1, "number of masters (at least 3; default: unchanged)")
	fs.IntVar(&so.Replicas, "replicas", -1, "replicas per master (default: unchanged)")
	fs.DurationVar(&so.Wait, "wait", 60*time.Second, "how long to wait for each step to settle")
	fs.DurationVar(&so.Linger, "linger", 30*time.Second, "at most this long, nodes to remove keep answering MOVED until clients stop asking them (0: remove at once)")
	flags.RegisterMove(cmd, &so.Move)
	return cmd
}

func printResult(env *cli.Env, r *cluster.ScaleResult) {
	w := env.Stdout
	fmt.Fprintf(w, "Cluster %q has %d masters, %d replicas each (%s).\n", r.Spec.Name, r.Spec.Masters, r.Spec.Replicas, r.Elapsed.Round(time.Millisecond))
	if r.Closed > 0 {
		fmt.Fprintf(w, "Closed %d open slots left by an interrupted move.\n", r.Closed)
	}
	if len(r.Added) > 0 {
		fmt.Fprintf(w, "Added: %s\n", strings.Join(r.Added, " "))
	}
	if len(r.Promoted) > 0 {
		fmt.Fprintf(w, "Promoted: %s\n", strings.Join(r.Promoted, " "))
	}
	if r.Moved.Slots > 0 {
		fmt.Fprintf(w, "Moved %d slots, %d keys in %s (%.0f keys/s).\n", r.Moved.Slots, r.Moved.Keys, r.Moved.Elapsed.Round(time.Millisecond), r.Moved.KeysPerSecond())
	}
	if len(r.Removed) > 0 {
		fmt.Fprintf(w, "Removed: %s\n", strings.Join(r.Removed, " "))
	}
}
