package status

import (
	"context"
	"fmt"
	"text/tabwriter"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
)

// statusSentinel shows a sentinel group; done is false when the named
// cluster's spec label says it is not one (or nothing carries the name).
func statusSentinel(ctx context.Context, env *cli.Env, name string, asJSON bool, exitCode func(int) error) (done bool, err error) {
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

func printSentinel(env *cli.Env, st *redisdock.SentinelStatus) {
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
	if st.Healthy {
		fmt.Fprintln(w, "State: healthy")
		return
	}
	fmt.Fprintln(w, "State: NOT healthy")
	for _, p := range st.Problems {
		fmt.Fprintf(w, "  - %s\n", p)
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
