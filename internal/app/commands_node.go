//go:build nodeimage

package app

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/bootstrap"
	"github.com/redis-dock/redis-dock/internal/command/check"
	"github.com/redis-dock/redis-dock/internal/command/node"
	"github.com/redis-dock/redis-dock/internal/status"
)

// addCommands registers the in-image commands only: the node image's
// build of redis-dock leaves out the Docker SDK to stay small.
func addCommands(root *cobra.Command, env *status.Env) {
	root.AddCommand(
		node.NewCommand(env),
		bootstrap.NewCommand(env),
		check.NewCommand(env),
	)
}
