//go:build !nodeimage

// Package operate holds the commands that act on one cluster that exists,
// found by its --name label, a file for each kind of work: down; status
// and password (status.go); scale and rebalance, which move slots
// (reshape.go); failover and heal (repair.go); upgrade (upgrade.go);
// fault and wait, the
// rehearsal kit (rehearse.go); tls, a TLS cluster's certificates (tls.go). This file holds what they share: --name,
// the library's logging option and printing.
package operate

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/status"
)

// Commands returns the commands; exitCode builds the error that carries a
// non-zero exit code without a message (status's verdict).
func Commands(env *status.Env, exitCode func(int) error) []*cobra.Command {
	on := func() *target { return &target{Env: env} }
	return []*cobra.Command{
		newDown(on()), newStatus(on(), exitCode), newPassword(on()),
		newScale(on()), newRebalance(on()), newFailover(on()), newHeal(on()), newUpgrade(on()),
		newFault(on()), newWait(on()), newTLS(on()),
	}
}

// target is the cluster a command acts on (--name) and where it prints.
type target struct {
	*status.Env
	name string
}

// command returns a command with --name: its own flag, or the persistent
// flag of its sub-commands when run is nil. run gets the command's
// context.
func (t *target) command(use, short string, args cobra.PositionalArgs, run func(ctx context.Context, args []string) error) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short, Args: args}
	fs := cmd.PersistentFlags()
	if run != nil {
		fs = cmd.Flags()
		cmd.RunE = func(cmd *cobra.Command, args []string) error { return run(cmd.Context(), args) }
	}
	cmdutil.NameFlag(fs, &t.name, "cluster name")
	return cmd
}

// log is the option that gives the library's status lines to env's logger.
func (t *target) log() redisdock.Option { return cluster.WithLogger(t.Logger) }

// printf writes a result line to stdout.
func (t *target) printf(format string, a ...any) { fmt.Fprintf(t.Stdout, format, a...) }
