// Package app is the root command: global flags, sub-commands, and the one
// place where errors are printed.
package app

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/status"
)

// Version is set at build time with -ldflags "-X ...app.Version=...".
var Version = "dev"

// ExitError carries an exit code without a message (status: unhealthy).
type ExitError struct{ Code int }

func (e ExitError) Error() string { return fmt.Sprintf("exit code %d", e.Code) }

// Run executes the CLI with args and returns the process exit code.
func Run(args []string) int {
	quietRedisLogs()
	env := &status.Env{Logger: status.Default(), Stdout: os.Stdout}
	root := newRoot(env)
	root.SetArgs(args)
	ctx, sig, stop := interrupts()
	defer stop()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	if s := sig(); s != 0 {
		fmt.Fprintf(os.Stderr, "ERROR: interrupted (%s): %v\n", signalName(s), err)
		return interruptCode(s)
	}
	fmt.Fprintf(os.Stderr, "ERROR: %v\n", err)
	return 1
}

func newRoot(env *status.Env) *cobra.Command {
	var verbosity int
	var quiet bool
	root := &cobra.Command{
		Use:           "redis-dock",
		Short:         "Run a real Redis Cluster on Docker in one command",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(*cobra.Command, []string) {
			env.Logger = status.NewLogger(os.Stderr, verbosity, quiet)
		},
	}
	root.PersistentFlags().IntVarP(&verbosity, "verbosity", "v", 0, "log verbosity (0: status lines, 1: step details, 2: debug)")
	root.PersistentFlags().BoolVarP(&quiet, "quiet", "q", false, "print only errors and results")
	addCommands(root, env)
	return root
}
