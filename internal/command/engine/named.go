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

// Up returns a group's `up` command (with --retain): prepare reads and
// checks the input before the engine is reached, up makes what it
// describes with the options and --retain, and print shows the result.
func Up[O, In, R any](n Named[O], short string, prepare func(cmd *cobra.Command) (In, error),
	up func(ctx context.Context, in In, o O, retain bool) (R, error), print func(R)) *cobra.Command {
	var retain bool
	cmd := &cobra.Command{Use: "up", Short: short, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := prepare(cmd)
			if err != nil {
				return err
			}
			return Connected(func(cmd *cobra.Command, _ []string, d *docker.Client) error {
				res, err := up(cmd.Context(), in, n.Options(d, n.Env.Logger), retain)
				if err == nil {
					print(res)
				}
				return err
			})(cmd, args)
		},
	}
	cmd.Flags().BoolVar(&retain, "retain", false, "keep what a failed up created, for debugging")
	return cmd
}
