//go:build !nodeimage

package operate

import (
	"context"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
)

// newDown is `redis-dock down`: remove a cluster by its label.
func newDown(t *target) *cobra.Command {
	var volumes bool
	cmd := t.command("down", "Remove a cluster's containers and network (and volumes with --volumes)",
		cobra.NoArgs, func(ctx context.Context, _ []string) error {
			r, err := redisdock.Down(ctx, t.name, volumes, t.log())
			if err == nil {
				t.printf("Removed %d containers, %d networks, %d volumes of cluster %q\n", r.Containers, r.Networks, r.Volumes, t.name)
			}
			return err
		})
	cmd.Flags().BoolVar(&volumes, "volumes", false, "also remove the data volumes (the data is lost)")
	return cmd
}
