package engine

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
)

// Named builds the commands of a group that act, through the engine, on
// what --name names (a Swarm stack, a lab), and how they make their
// library's options O from the connection and env's logger.
type Named[O any] struct {
	Env     *status.Env
	Default string // --name's default
	Usage   string // --name's help
	Options func(d *docker.Client, log *status.Logger) O
}

// Command returns a command with its own --name that connects to the
// engine and calls run with the name and the options.
func (n Named[O]) Command(use, short string, args cobra.PositionalArgs,
	run func(ctx context.Context, name string, args []string, o O) error) *cobra.Command {
	var name string
	cmd := &cobra.Command{Use: use, Short: short, Args: args,
		RunE: Connected(func(cmd *cobra.Command, args []string, d *docker.Client) error {
			return run(cmd.Context(), name, args, n.Options(d, n.Env.Logger))
		}),
	}
	cmd.Flags().StringVar(&name, "name", n.Default, n.Usage)
	return cmd
}
