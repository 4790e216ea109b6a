//go:build !nodeimage

package app

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/bootstrap"
	"github.com/redis-dock/redis-dock/internal/command/check"
	"github.com/redis-dock/redis-dock/internal/command/image"
	"github.com/redis-dock/redis-dock/internal/command/lab"
	"github.com/redis-dock/redis-dock/internal/command/list"
	"github.com/redis-dock/redis-dock/internal/command/node"
	"github.com/redis-dock/redis-dock/internal/command/operate"
	"github.com/redis-dock/redis-dock/internal/command/render"
	"github.com/redis-dock/redis-dock/internal/command/swarm"
	"github.com/redis-dock/redis-dock/internal/command/up"
	"github.com/redis-dock/redis-dock/internal/status"
)

// exitCode is the error that makes the program exit with code, no message.
func exitCode(code int) error { return ExitError{Code: code} }

// addCommands registers every sub-command; each lives in internal/command.
func addCommands(root *cobra.Command, env *status.Env) {
	root.AddCommand(
		up.NewCommand(env),
		list.NewCommand(env),
		image.NewCommand(env),
		node.NewCommand(env),
		bootstrap.NewCommand(env),
		check.NewCommand(env),
		swarm.NewCommand(env, exitCode),
		lab.NewCommand(env),
	)
	root.AddCommand(operate.Commands(env, exitCode)...)
	root.AddCommand(render.Commands(env)...)
}
