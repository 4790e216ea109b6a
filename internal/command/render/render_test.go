package render

import (
	"testing"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// run executes the command newCmd builds with args and returns what it
// printed to stdout.
func run(t *testing.T, newCmd func(*status.Env) *cobra.Command, args ...string) (string, error) {
	t.Helper()
	return testutil.RunCommand(t, newCmd, args...)
}
