// Package down is `redis-dock down`: remove a cluster by its label.
package down

import (
	"fmt"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
)

// NewCommand returns the down command.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	var volumes bool
	cmd := &cobra.Command{
		Use:   "down",
		Short: "Remove a cluster's containers and network (and volumes with --volumes)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := redisdock.Down(cmd.Context(), name, volumes, cluster.WithLogger(env.Logger))
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Removed %d containers, %d networks, %d volumes of cluster %q\n", r.Containers, r.Networks, r.Volumes, name)
			return nil
		},
	}
	cmdutil.NameFlag(cmd.Flags(), &name, "cluster name")
	cmd.Flags().BoolVar(&volumes, "volumes", false, "also remove the data volumes (the data is lost)")
	return cmd
}
