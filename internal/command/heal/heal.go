// Package heal is `redis-dock heal` (alias fix): repair a cluster after
// trouble.
package heal

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
)

// NewCommand returns the heal command.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	var ho cluster.HealOptions
	cmd := &cobra.Command{
		Use:     "heal",
		Aliases: []string{"fix"},
		Short:   "Start stopped nodes, re-meet moved nodes, close open slots, re-replicate orphans; --cover-slots assigns unserved slots",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := redisdock.Heal(cmd.Context(), name, ho, cluster.WithLogger(env.Logger))
			if res != nil {
				printResult(env.Stdout, name, res, err == nil)
			}
			return err
		},
	}
	fs := cmd.Flags()
	cmdutil.NameFlag(fs, &name, "cluster name")
	fs.BoolVar(&ho.CoverSlots, "cover-slots", false, "assign slots no running master serves (their keys on a dead node are lost)")
	fs.DurationVar(&ho.Wait, "wait", 60*time.Second, "how long to wait for the cluster to settle and be healthy")
	return cmd
}

func printResult(w io.Writer, name string, r *cluster.HealResult, healthy bool) {
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
