//go:build nodeimage

package app

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
)

// addCommands registers the in-image commands only: the node image's
// build of redis-dock leaves out the Docker SDK to stay small.
func addCommands(root *cobra.Command, env *cli.Env) {
	_ = env
}
