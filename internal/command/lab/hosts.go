package lab

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/lab"
	"github.com/redis-dock/redis-dock/internal/status"
)

func newStatus(env *status.Env) *cobra.Command {
	return named(env).Command("status", "Show the lab's hosts: state, address, swarm role and node state, tasks running", cobra.NoArgs,
		func(ctx context.Context, name string, _ []string, o lab.Options) error {
			hosts, err := lab.Status(ctx, name, o)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "HOST\tSTATE\tIP\tSWARM ROLE\tNODE\tTASKS\tNODE ID")
			for _, h := range hosts {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", h.Name, h.State, h.IP, h.Role, h.Node, h.Tasks, h.NodeID)
			}
			return w.Flush()
		})
}

func newStop(env *status.Env) *cobra.Command {
	var timeout int
	cmd := named(env).Command("stop HOST", "Stop a lab host (its engine and every task on it), as if the machine went away; its disk stays", cobra.ExactArgs(1),
		func(ctx context.Context, name string, args []string, o lab.Options) error {
			return lab.Stop(ctx, name, args[0], timeout, o)
		})
	cmd.PreRunE = func(*cobra.Command, []string) error {
		if timeout < 0 {
			return fmt.Errorf("--time %d: must be 0 (kill at once) or more seconds", timeout)
		}
		return nil
	}
	cmd.Flags().IntVar(&timeout, "time", 10, "seconds the host's engine gets to stop its containers; 0 kills it at once")
	return cmd
}

func newStart(env *status.Env) *cobra.Command {
	return named(env).Command("start HOST", "Start a stopped lab host; Swarm restarts the tasks placed on it", cobra.ExactArgs(1),
		func(ctx context.Context, name string, args []string, o lab.Options) error {
			return lab.Start(ctx, name, args[0], o)
		})
}
