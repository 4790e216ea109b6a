// Package password is `redis-dock password`: print a cluster's password.
package password

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
)

// NewCommand returns the password command.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "password",
		Short: "Print a cluster's password (read from its nodes; stored nowhere else)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := docker.New()
			if err != nil {
				return err
			}
			defer d.Close()
			pw, err := cluster.Password(cmd.Context(), name, cluster.Options{Logger: env.Logger, Docker: d})
			if err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, pw)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "default", "cluster name")
	return cmd
}
