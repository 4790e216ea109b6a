package swarm

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/status"
	rdswarm "github.com/redis-dock/redis-dock/swarm"
)

func newStatus(env *status.Env, exitCode func(int) error) *cobra.Command {
	var asJSON bool
	var wait time.Duration
	cmd := named(env).Command("status", "Show the stack's services and nodes, checked from inside its network; exit 0 healthy, 3 serving but degraded, 2 not serving", cobra.NoArgs,
		func(ctx context.Context, name string, _ []string, o rdswarm.Options) error {
			st, err := rdswarm.GetStatus(ctx, name, wait, o)
			if err != nil {
				return err
			}
			return cmdutil.Verdict{JSON: asJSON, Value: st, Table: func() { printStatus(env, st) },
				Healthy: st.Verdict == rdswarm.VerdictHealthy, ExitCode: exitCode, Code: verdictCode(st)}.Print(env.Stdout)
		})
	cmd.Long = "Check the stack from a one-shot task on its overlay network. The verdict is \"healthy\" (exit 0), " +
		"\"serving, degraded\" when every slot is served by a master that answered but nodes or replicas are missing, " +
		"e.g. while a host is away (exit 3), or \"NOT serving\" when some slots have no reachable master (exit 2)."
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().DurationVar(&wait, "wait", 5*time.Second, "how long the check waits for health")
	return cmd
}

func printStatus(env *status.Env, st *rdswarm.Status) {
	w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "SERVICE\tRUNNING\tCOMPLETE\tFAILED")
	for _, s := range st.Services {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\n", s.Name, s.Running, s.Complete, s.Failed)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "NODE\tROLE\tADDRESS\tID\tSLOTS")
	for _, n := range st.Report.Nodes {
		id := n.ID
		if len(id) > 8 {
			id = id[:8]
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", n.Name, n.Role, n.Addr, id, n.Slots)
	}
	w.Flush()
	switch st.Verdict {
	case rdswarm.VerdictHealthy:
		fmt.Fprintf(env.Stdout, "Cluster %q is healthy (network %s).\n", st.Name, st.Network)
	case rdswarm.VerdictServing:
		fmt.Fprintf(env.Stdout, "Cluster %q is serving, degraded: %s\n", st.Name, st.Missing)
	default:
		fmt.Fprintf(env.Stdout, "Cluster %q is NOT serving: %s\n", st.Name, st.Missing)
	}
}

func verdictCode(st *rdswarm.Status) int {
	if st.Verdict == rdswarm.VerdictServing {
		return ExitDegraded
	}
	return ExitUnhealthy
}
