package node

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/nodeflags"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
	"github.com/redis-dock/redis-dock/internal/status"
)

// newAnnounce is the helper `node` leaves running beside redis-server.
func newAnnounce(env *status.Env) *cobra.Command {
	var f nodeflags.Flags
	var ip string
	var port, bus int
	var wait time.Duration
	var fork bool
	cmd := &cobra.Command{
		Use:    "announce",
		Short:  "Ask the other nodes to MEET this one at its current address",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if fork {
				return nodeagent.Spawn(false, withoutFork(os.Args[1:])...)
			}
			self, err := netip.ParseAddr(ip)
			if err != nil {
				return fmt.Errorf("--ip %q: %w", ip, err)
			}
			pw, err := f.Password()
			if err != nil {
				return err
			}
			if err := f.LoadTLS(); err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), wait)
			defer cancel()
			a := &nodeagent.Announcer{Self: self, Port: port, BusPort: bus, Peers: f.Shape.Peers(port),
				User: f.Shape.User, Password: pw, TLS: f.Shape.TLS, Lookup: nodeagent.DNS, Log: env.Logger}
			return a.Run(ctx)
		},
	}
	f.Register(cmd)
	cmd.Flags().StringVar(&ip, "ip", "", "this node's announced address")
	cmd.Flags().IntVar(&port, "self-port", 0, "this node's client port")
	cmd.Flags().IntVar(&bus, "self-bus-port", 0, "this node's bus port")
	cmd.Flags().DurationVar(&wait, "wait", 2*time.Minute, "how long to keep trying")
	cmd.Flags().BoolVar(&fork, "fork", false, "start the helper in the background and return")
	return cmd
}

func withoutFork(args []string) []string {
	var out []string
	for _, a := range args {
		if a != "--fork" {
			out = append(out, a)
		}
	}
	return out
}
