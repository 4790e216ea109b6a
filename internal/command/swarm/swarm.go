// Package swarm is `redis-dock swarm up|status|down`: the cluster as a
// Swarm stack, deployed and checked through the Docker SDK.
package swarm

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/command/engine"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
	rdswarm "github.com/redis-dock/redis-dock/swarm"
)

// Exit codes of `swarm status`: 0 healthy; ExitUnhealthy (as for
// `status`) when some slots have no reachable master; ExitDegraded when
// every slot is served but nodes or replicas are missing.
const (
	ExitUnhealthy = 2
	ExitDegraded  = 3
)

// NewCommand returns `swarm` with up, status and down; exitCode builds the
// error that carries a non-zero exit code without a message.
func NewCommand(env *status.Env, exitCode func(int) error) *cobra.Command {
	cmd := &cobra.Command{Use: "swarm", Short: "Run a cluster as a Docker Swarm stack on an overlay network"}
	cmd.AddCommand(newUp(env), newStatus(env, exitCode), newDown(env), newEvacuate(env), newUpgrade(env))
	return cmd
}

// named is how swarm's commands find their stack (--name) and make its
// options.
func named(env *status.Env) engine.Named[rdswarm.Options] {
	return engine.Named[rdswarm.Options]{Env: env, Default: cmdutil.DefaultName, Usage: "cluster name (the stack's name)",
		Options: func(d *docker.Client, log *status.Logger) rdswarm.Options {
			return rdswarm.Options{Docker: d, Logger: log}
		}}
}

func newDown(env *status.Env) *cobra.Command {
	var volumes bool
	cmd := named(env).Command("down", "Remove the stack's services, configs, secret and network (and volumes with --volumes)", cobra.NoArgs,
		func(ctx context.Context, name string, _ []string, o rdswarm.Options) error {
			r, err := rdswarm.Down(ctx, name, volumes, o)
			if err == nil {
				fmt.Fprintf(env.Stdout, "Removed %d services, %d configs, %d secrets, %d networks, %d volumes of cluster %q\n",
					r.Services, r.Configs, r.Secrets, r.Networks, r.Volumes, name)
			}
			return err
		})
	cmd.Flags().BoolVar(&volumes, "volumes", false, "also remove the data volumes on this engine (the data is lost)")
	return cmd
}
