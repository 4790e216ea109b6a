// Package swarm is `redis-dock swarm up|status|down`: the cluster as a
// Swarm stack, deployed and checked through the Docker SDK.
package swarm

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/docker"
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
func NewCommand(env *cli.Env, exitCode func(int) error) *cobra.Command {
	cmd := &cobra.Command{Use: "swarm", Short: "Run a cluster as a Docker Swarm stack on an overlay network"}
	cmd.AddCommand(newUp(env), newStatus(env, exitCode), newDown(env), newEvacuate(env))
	return cmd
}

// options connects to the engine; close it when done.
func options(env *cli.Env, retain bool) (rdswarm.Options, func(), error) {
	d, err := docker.New()
	if err != nil {
		return rdswarm.Options{}, nil, err
	}
	return rdswarm.Options{Docker: d, Logger: env.Logger, Retain: retain}, func() { d.Close() }, nil
}

func newDown(env *cli.Env) *cobra.Command {
	var name string
	var volumes bool
	cmd := &cobra.Command{
		Use:   "down",
		Short: "Remove the stack's services, configs, secret and network (and volumes with --volumes)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, done, err := options(env, false)
			if err != nil {
				return err
			}
			defer done()
			r, err := rdswarm.Down(cmd.Context(), name, volumes, o)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Removed %d services, %d configs, %d secrets, %d networks, %d volumes of cluster %q\n",
				r.Services, r.Configs, r.Secrets, r.Networks, r.Volumes, name)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "default", "cluster name (the stack's name)")
	cmd.Flags().BoolVar(&volumes, "volumes", false, "also remove the data volumes on this engine (the data is lost)")
	return cmd
}
