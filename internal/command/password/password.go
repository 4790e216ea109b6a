// Package password is `redis-dock password`: print a cluster's password.
package password

import (
	"fmt"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
)

// NewCommand returns the password command.
func NewCommand(env *cli.Env) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "password",
		Short: "Print a cluster's password (read from its nodes; stored nowhere else)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw, err := redisdock.Password(cmd.Context(), name)
			if err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, pw)
			return nil
		},
	}
	cmdutil.NameFlag(cmd.Flags(), &name, "cluster name")
	return cmd
}
