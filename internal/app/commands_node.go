//go:build nodeimage

package app

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/command/bootstrap"
	"github.com/redis-dock/redis-dock/internal/command/check"
	"github.com/redis-dock/redis-dock/internal/command/node"
)

// addCommands registers the in-image commands only: the node image's
// build of redis-dock leaves out the Docker SDK to stay small.
func addCommands(root *cobra.Command, env *cli.Env) {
	root.AddCommand(
		node.NewCommand(env),
		bootstrap.NewCommand(env),
		check.NewCommand(env),
	)
}
