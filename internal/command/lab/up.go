package lab

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/engine"
	"github.com/redis-dock/redis-dock/internal/lab"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

func newUp(env *status.Env) *cobra.Command {
	c := lab.Config{Name: DefaultName, Hosts: lab.DefaultHosts, Managers: 1, Image: spec.DefaultNodeImage()}
	cmd := engine.Up(named(env), "Start the lab's hosts, load the node image into each and form a swarm",
		func(*cobra.Command) (lab.Config, error) { return c, c.Validate() },
		func(ctx context.Context, c lab.Config, o lab.Options, retain bool) (*lab.Result, error) {
			o.Retain = retain
			return lab.Up(ctx, c, o)
		},
		func(r *lab.Result) { printUp(env, r) })
	cmd.Flags().StringVar(&c.Name, "name", DefaultName, "lab name")
	cmd.Flags().IntVar(&c.Hosts, "hosts", lab.DefaultHosts, fmt.Sprintf("number of hosts, 1 to %d", lab.MaxHosts))
	cmd.Flags().IntVar(&c.Managers, "managers", 1, "swarm managers among the hosts: 1 or 3")
	cmd.Flags().StringVar(&c.Image, "image", c.Image, "node image loaded into every host")
	return cmd
}

func printUp(env *status.Env, r *lab.Result) {
	w := env.Stdout
	fmt.Fprintf(w, "Lab %q is up: %d hosts on %s (%s).\n", r.Name, len(r.Hosts), r.Subnet, r.Elapsed.Round(time.Millisecond))
	for _, h := range r.Hosts {
		role := "worker"
		if h.Manager {
			role = "manager"
		}
		fmt.Fprintf(w, "  %-12s %-15s %s\n", h.Name, h.IP, role)
	}
	fmt.Fprintf(w, "Reach the manager with:\n  export DOCKER_HOST=%s\n", r.Manager())
	fmt.Fprintf(w, "or: eval $(redis-dock lab env --name %s); a host's own engine: docker exec %s docker info\n", r.Name, r.Hosts[0].Name)
}
