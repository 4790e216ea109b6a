// Package lab is `redis-dock lab up|env|status|stop|start|down`: several
// Docker Swarm hosts as containers on this machine.
package lab

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/engine"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/lab"
	"github.com/redis-dock/redis-dock/internal/status"
)

// DefaultName is --name's default.
const DefaultName = "lab"

// NewCommand returns `lab` and its sub-commands.
func NewCommand(env *status.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "Run several Docker Swarm hosts as containers on this machine, to rehearse multi-host deployments",
		Long: "A lab is a Swarm of hosts that are containers on this machine, each running its own Docker engine " +
			"(this machine's dockerd through a read-only /usr). Point DOCKER_HOST at its manager (`lab env`), deploy " +
			"with `redis-dock swarm up` or `docker stack deploy`, and take hosts away with `lab stop` / `lab start`.",
	}
	cmd.AddCommand(newUp(env), newEnv(env), newStatus(env), newStop(env), newStart(env), newDown(env))
	return cmd
}

// named is how lab's commands find their lab (--name) and make its
// options.
func named(env *status.Env) engine.Named[lab.Options] {
	return engine.Named[lab.Options]{Env: env, Default: DefaultName, Usage: "lab name",
		Options: func(d *docker.Client, log *status.Logger) lab.Options { return lab.Options{Docker: d, Logger: log} }}
}

func newEnv(env *status.Env) *cobra.Command {
	return named(env).Command("env", "Print the DOCKER_HOST of the lab's swarm manager, for eval $(redis-dock lab env)", cobra.NoArgs,
		func(ctx context.Context, name string, _ []string, o lab.Options) error {
			host, err := lab.Env(ctx, name, o)
			if err == nil {
				fmt.Fprintf(env.Stdout, "export DOCKER_HOST=%s\n", host)
			}
			return err
		})
}

func newDown(env *status.Env) *cobra.Command {
	return named(env).Command("down", "Remove the lab: its hosts, their engines and disks, its network", cobra.NoArgs,
		func(ctx context.Context, name string, _ []string, o lab.Options) error {
			r, err := lab.Down(ctx, name, o)
			if err == nil {
				fmt.Fprintf(env.Stdout, "Removed %d hosts, %d volumes, %d networks of lab %q\n", r.Containers, r.Volumes, r.Networks, name)
			}
			return err
		})
}
