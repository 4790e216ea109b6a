package swarm

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	rdswarm "github.com/redis-dock/redis-dock/swarm"
)

func newStatus(env *cli.Env, exitCode func(int) error) *cobra.Command {
	var name string
	var asJSON bool
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the stack's services and nodes, checked from inside its network; exit 0 only when healthy",
		Args:  cobra.NoArgs,
		RunE: run(env, nil, func(cmd *cobra.Command, _ []string, o rdswarm.Options) error {
			st, err := rdswarm.GetStatus(cmd.Context(), name, wait, o)
			if err != nil {
				return err
			}
			return cmdutil.Verdict{JSON: asJSON, Value: st, Table: func() { printStatus(env, st) },
				Healthy: st.Healthy, ExitCode: exitCode, Code: ExitUnhealthy}.Print(env.Stdout)
		}),
	}
	nameFlag(cmd, &name)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().DurationVar(&wait, "wait", 5*time.Second, "how long the check waits for health")
	return cmd
}

func printStatus(env *cli.Env, st *rdswarm.Status) {
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
	if st.Healthy {
		fmt.Fprintf(env.Stdout, "Cluster %q is healthy (network %s).\n", st.Name, st.Network)
	} else {
		fmt.Fprintf(env.Stdout, "Cluster %q is NOT healthy: %s\n", st.Name, st.Problem)
	}
}
