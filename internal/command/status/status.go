// Package status is `redis-dock status`: what every node says, and a
// verdict that is also the exit code.
package status

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
)

// ExitUnhealthy is status's exit code for a cluster that is not healthy.
const ExitUnhealthy = 2

// NewCommand returns the status command; exitCode builds the error that
// carries a non-zero exit code without a message.
func NewCommand(env *cli.Env, exitCode func(int) error) *cobra.Command {
	var name string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each node's role, slots, keys and links; exit 0 only when healthy",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if done, err := statusSentinel(cmd.Context(), env, name, asJSON, exitCode); done || err != nil {
				return err
			}
			st, err := redisdock.GetStatus(cmd.Context(), name)
			if err != nil {
				return err
			}
			return cmdutil.Verdict{JSON: asJSON, Value: st, Table: func() { printTable(env, st) },
				Healthy: st.Healthy, ExitCode: exitCode, Code: ExitUnhealthy}.Print(env.Stdout)
		},
	}
	cmdutil.NameFlag(cmd.Flags(), &name, "cluster name")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printTable(env *cli.Env, st *redisdock.Status) {
	tls := ""
	if st.TLS {
		tls = ", TLS only"
	}
	fmt.Fprintf(env.Stdout, "Cluster %s (network %s, endpoint %s%s)\n", st.Name, st.Network, st.Endpoint, tls)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tPORT\tCONTAINER\tROLE\tMASTER\tSLOTS\tKEYS\tLINK\tMEMORY")
	for _, n := range st.Nodes {
		master, slots := n.Master, n.Slots
		if master == "" {
			master = "-"
		}
		if slots == "" {
			slots = "-"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", n.Name, n.Port, n.Container, n.Role, master, slots, n.Keys, n.Link, n.Memory)
	}
	tw.Flush()
	for _, o := range st.OpenSlots {
		fmt.Fprintf(env.Stdout, "open slots: %s\n", o)
	}
	if st.Healthy {
		fmt.Fprintln(env.Stdout, "State: healthy")
		return
	}
	fmt.Fprintln(env.Stdout, "State: NOT healthy")
	for _, p := range st.Problems {
		fmt.Fprintf(env.Stdout, "  - %s\n", p)
	}
}
