package app

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
)

// addCommands registers every sub-command; each lives in internal/command.
func addCommands(root *cobra.Command, env *cli.Env) {
	_ = env
}
