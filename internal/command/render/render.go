// Package render holds the `render` commands: a cluster's spec (flags and
// -f, as for up) written out as files to run without redis-dock:
// `compose render` (a compose file), `stack render` (a Swarm stack file)
// and `config render` (the per-port redis.conf files). Each is a file;
// this one holds what they share.
package render

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/command/flags"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

// Commands returns the compose, stack and config commands, each with its
// render sub-command.
func Commands(env *status.Env) []*cobra.Command {
	return []*cobra.Command{NewCompose(env), NewStack(env), NewConfig(env)}
}

// group returns `<use> render` built from sub (Short, Long, its own
// flags): it takes the spec flags (register: Register or RegisterSwarm)
// and hands the spec to run.
func group(use, short string, sub *cobra.Command, register func(*flags.SpecFlags, *cobra.Command),
	run func(*cobra.Command, spec.Spec) error) *cobra.Command {
	sf := flags.NewSpecFlags()
	sub.Use, sub.Args = "render", cobra.NoArgs
	sub.RunE = func(cmd *cobra.Command, _ []string) error {
		s, err := sf.Spec(cmd)
		if err != nil {
			return err
		}
		return run(cmd, s)
	}
	register(sf, sub)
	return cmdutil.Group(use, short, sub)
}
