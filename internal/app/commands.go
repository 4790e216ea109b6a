//go:build !nodeimage

package app

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/command/bootstrap"
	"github.com/redis-dock/redis-dock/internal/command/check"
	"github.com/redis-dock/redis-dock/internal/command/compose"
	"github.com/redis-dock/redis-dock/internal/command/config"
	"github.com/redis-dock/redis-dock/internal/command/down"
	"github.com/redis-dock/redis-dock/internal/command/failover"
	"github.com/redis-dock/redis-dock/internal/command/fault"
	"github.com/redis-dock/redis-dock/internal/command/heal"
	"github.com/redis-dock/redis-dock/internal/command/image"
	"github.com/redis-dock/redis-dock/internal/command/lab"
	"github.com/redis-dock/redis-dock/internal/command/list"
	"github.com/redis-dock/redis-dock/internal/command/node"
	"github.com/redis-dock/redis-dock/internal/command/password"
	"github.com/redis-dock/redis-dock/internal/command/rebalance"
	"github.com/redis-dock/redis-dock/internal/command/scale"
	"github.com/redis-dock/redis-dock/internal/command/stack"
	"github.com/redis-dock/redis-dock/internal/command/status"
	"github.com/redis-dock/redis-dock/internal/command/swarm"
	"github.com/redis-dock/redis-dock/internal/command/up"
	"github.com/redis-dock/redis-dock/internal/command/upgrade"
	"github.com/redis-dock/redis-dock/internal/command/wait"
)

// addCommands registers every sub-command; each lives in internal/command.
func addCommands(root *cobra.Command, env *cli.Env) {
	root.AddCommand(
		up.NewCommand(env),
		down.NewCommand(env),
		status.NewCommand(env, func(code int) error { return ExitError{Code: code} }),
		list.NewCommand(env),
		password.NewCommand(env),
		config.NewCommand(env),
		image.NewCommand(env),
		scale.NewCommand(env),
		rebalance.NewCommand(env),
		failover.NewCommand(env),
		heal.NewCommand(env),
		upgrade.NewCommand(env),
		node.NewCommand(env),
		bootstrap.NewCommand(env),
		check.NewCommand(env),
		stack.NewCommand(env),
		swarm.NewCommand(env, func(code int) error { return ExitError{Code: code} }),
		compose.NewCommand(env),
		fault.NewCommand(env), wait.NewCommand(env),
		lab.NewCommand(env),
	)
}
