//go:build !nodeimage

package operate

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/status"
)

// ExitUnhealthy is status's exit code for a cluster that is not healthy.
const ExitUnhealthy = 2

// newStatus is `redis-dock status`: what every node says, and a verdict
// that is also the exit code; exitCode builds the error that carries a
// non-zero exit code without a message.
func newStatus(t *target, exitCode func(int) error) *cobra.Command {
	var asJSON bool
	cmd := t.command("status", "Show each node's role, slots, keys and links; exit 0 only when healthy",
		cobra.NoArgs, func(ctx context.Context, _ []string) error {
			if done, err := statusSentinel(ctx, t.Env, t.name, asJSON, exitCode); done || err != nil {
				return err
			}
			st, err := redisdock.GetStatus(ctx, t.name)
			if err != nil {
				return err
			}
			return cmdutil.Verdict{JSON: asJSON, Value: st, Table: func() { printTable(t.Env, st) },
				Healthy: st.Healthy, ExitCode: exitCode, Code: ExitUnhealthy}.Print(t.Stdout)
		})
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// newPassword is `redis-dock password`: print a cluster's password.
func newPassword(t *target) *cobra.Command {
	var user string
	cmd := t.command("password", "Print a cluster's password, or an ACL user's with --user (read from its nodes; stored nowhere else)",
		cobra.NoArgs, func(ctx context.Context, _ []string) error {
			pw, err := redisdock.Password(ctx, t.name)
			if user != "" {
				pw, err = redisdock.UserPassword(ctx, t.name, user)
			}
			if err == nil {
				t.printf("%s\n", pw)
			}
			return err
		})
	cmd.Flags().StringVar(&user, "user", "", "print this ACL user's password (a --user of up; redis-dock is redis-dock's own admin user)")
	return cmd
}

func printTable(env *status.Env, st *redisdock.Status) {
	tls := ""
	if st.TLS {
		tls = ", TLS only"
	}
	fmt.Fprintf(env.Stdout, "Cluster %s (network %s, endpoint %s%s)\n", st.Name, st.Network, st.Endpoint, tls)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tPORT\tCONTAINER\tROLE\tMASTER\tSLOTS\tKEYS\tLINK\tMEMORY")
	for _, n := range st.Nodes {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", n.Name, n.Port, n.Container, n.Role, dash(n.Master), dash(n.Slots), n.Keys, n.Link, n.Memory)
	}
	tw.Flush()
	for _, o := range st.OpenSlots {
		fmt.Fprintf(env.Stdout, "open slots: %s\n", o)
	}
	printState(env.Stdout, st.Healthy, st.Problems)
}

// statusSentinel shows a sentinel group; done is false when the named
// cluster's spec label says it is not one (or nothing carries the name).
func statusSentinel(ctx context.Context, env *status.Env, name string, asJSON bool, exitCode func(int) error) (done bool, err error) {
	if ok, err := redisdock.IsSentinel(ctx, name); !ok || err != nil {
		return false, err
	}
	st, err := redisdock.GetSentinelStatus(ctx, name)
	if err != nil {
		return true, err
	}
	return true, cmdutil.Verdict{JSON: asJSON, Value: st, Table: func() { printSentinel(env, st) },
		Healthy: st.Healthy, ExitCode: exitCode, Code: ExitUnhealthy}.Print(env.Stdout)
}

func printSentinel(env *status.Env, st *redisdock.SentinelStatus) {
	w := env.Stdout
	fmt.Fprintf(w, "Sentinel group %s (network %s, master name %s, quorum %d)\n", st.Name, st.Network, st.MasterName, st.Quorum)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tPORT\tCONTAINER\tROLE\tFOLLOWS\tLINK\tOFFSET\tLAG\tKEYS\tMEMORY")
	for _, n := range st.Nodes {
		role, follows, link := n.Role, dash(n.Follows), dash(n.Link)
		if n.Error != "" {
			role = "? (" + n.Error + ")"
		} else if n.Role == "master" {
			link = fmt.Sprintf("replicas:%d", n.Replicas)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", n.Name, n.Port, n.Container, role, follows, link, n.Offset, n.Lag, n.Keys, dash(n.Memory))
	}
	tw.Flush()
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SENTINEL\tPORT\tCONTAINER\tMASTER\tFLAGS\tREPLICAS\tPEERS\tQUORUM")
	for _, v := range st.Sentinels {
		quorum := "ok"
		if !v.QuorumOK {
			quorum = dash(v.Quorum)
		}
		if v.Error != "" {
			quorum = v.Error
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\t%d\t%s\n", v.Name, v.Port, v.Container, dash(v.Master), dash(v.Flags), v.Replicas, v.Sentinels, quorum)
	}
	tw.Flush()
	printState(w, st.Healthy, st.Problems)
}

// printState is a status table's last line, and its problems when it is
// not healthy.
func printState(w io.Writer, healthy bool, problems []string) {
	if healthy {
		fmt.Fprintln(w, "State: healthy")
		return
	}
	fmt.Fprintln(w, "State: NOT healthy")
	for _, p := range problems {
		fmt.Fprintf(w, "  - %s\n", p)
	}
}

// dash stands for an empty cell.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
