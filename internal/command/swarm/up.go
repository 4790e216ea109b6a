package swarm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/engine"
	"github.com/redis-dock/redis-dock/internal/command/flags"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/status"
	rdswarm "github.com/redis-dock/redis-dock/swarm"
)

func newUp(env *status.Env) *cobra.Command {
	sf := flags.NewSpecFlags()
	cmd := engine.Up(named(env), "Deploy the cluster as a stack on this swarm manager and wait until it is healthy",
		sf.Spec,
		func(ctx context.Context, s spec.Spec, o rdswarm.Options, retain bool) (*rdswarm.Result, error) {
			o.Retain = retain
			return rdswarm.Up(ctx, s, o)
		},
		func(r *rdswarm.Result) { printUp(env, r) })
	cmd.Long = "Deploy what `stack render` describes through the Docker SDK (same names and labels, so " +
		"`docker stack ls` lists it), then check it from a one-shot task on the stack's overlay network " +
		"until it is healthy. --subnet defaults to a free /24 in 10.214.0.0/16."
	sf.RegisterSwarm(cmd)
	return cmd
}

func printUp(env *status.Env, r *rdswarm.Result) {
	w, s := env.Stdout, r.Spec
	verb := "deployed and healthy"
	if r.Existing {
		verb = "already deployed and healthy"
	}
	fmt.Fprintf(w, "Cluster %q is %s on Swarm: %d masters, %d replicas (%s).\n", s.Name, verb, s.Masters, s.Nodes()-s.Masters, r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "Clients attach to the overlay network %s (attachable) and reach:\n", r.Network)
	var seeds []string
	for _, n := range r.Report.Nodes {
		fmt.Fprintf(w, "  %-8s %-22s %s\n", n.Role, n.Addr, n.Name)
		seeds = append(seeds, n.Addr)
	}
	fmt.Fprintf(w, "Seeds: %s (stable names: node-<port>:<port>)\n", strings.Join(seeds, ","))
	fmt.Fprintf(w, "The password is the Swarm secret %s_password, mounted in every task at /run/secrets/password.\n", s.Name)
	if s.TLS {
		fmt.Fprintf(w, "TLS only: the CA is the Swarm secret %s_%s (in every task at %s); give it to your service as a secret:\n", s.Name, stackplan.CASecret, stackplan.CAPath)
		fmt.Fprintf(w, "  redis-cli --tls --cacert /run/secrets/%s_%s -c -h node-%d -p %d\n", s.Name, stackplan.CASecret, s.Port, s.Port)
	}
	if s.ACL() {
		fmt.Fprintf(w, "ACL users: the `user` lines are the Swarm secret %s_%s; redis-dock logs in as %s.\n", s.Name, stackplan.UsersSecret, s.AdminUser())
	}
}
