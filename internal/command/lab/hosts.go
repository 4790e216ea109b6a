package lab

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/lab"
	"github.com/redis-dock/redis-dock/internal/status"
)

func newStatus(env *status.Env) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the lab's hosts: state, address, swarm role and node state, tasks running",
		Args:  cobra.NoArgs,
		RunE: run(env, nil, func(cmd *cobra.Command, _ []string, o lab.Options) error {
			hosts, err := lab.Status(cmd.Context(), name, o)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "HOST\tSTATE\tIP\tSWARM ROLE\tNODE\tTASKS\tNODE ID")
			for _, h := range hosts {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", h.Name, h.State, h.IP, h.Role, h.Node, h.Tasks, h.NodeID)
			}
			return w.Flush()
		}),
	}
	nameFlag(cmd, &name)
	return cmd
}

func newStop(env *status.Env) *cobra.Command {
	var name string
	var timeout int
	cmd := &cobra.Command{
		Use:   "stop HOST",
		Short: "Stop a lab host (its engine and every task on it), as if the machine went away; its disk stays",
		Args:  cobra.ExactArgs(1),
		PreRunE: func(*cobra.Command, []string) error {
			if timeout < 0 {
				return fmt.Errorf("--time %d: must be 0 (kill at once) or more seconds", timeout)
			}
			return nil
		},
		RunE: run(env, nil, func(cmd *cobra.Command, args []string, o lab.Options) error {
			return lab.Stop(cmd.Context(), name, args[0], timeout, o)
		}),
	}
	nameFlag(cmd, &name)
	cmd.Flags().IntVar(&timeout, "time", 10, "seconds the host's engine gets to stop its containers; 0 kills it at once")
	return cmd
}

func newStart(env *status.Env) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "start HOST",
		Short: "Start a stopped lab host; Swarm restarts the tasks placed on it",
		Args:  cobra.ExactArgs(1),
		RunE: run(env, nil, func(cmd *cobra.Command, args []string, o lab.Options) error {
			return lab.Start(cmd.Context(), name, args[0], o)
		}),
	}
	nameFlag(cmd, &name)
	return cmd
}
