package up

import (
	"fmt"
	"io"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// printTryIt prints a redis-cli line to try the cluster: the password
// through REDISCLI_AUTH, or none with --no-password (an empty
// REDISCLI_AUTH would still send AUTH, which the nodes refuse).
func printTryIt(w io.Writer, s spec.Spec, cliArgs string) {
	if s.NoPassword {
		fmt.Fprintf(w, "Try it (no password, --no-password):\n  redis-cli %s\n", cliArgs)
		return
	}
	fmt.Fprintf(w, "Try it (the password stays out of your shell history):\n")
	fmt.Fprintf(w, "  REDISCLI_AUTH=\"$(redis-dock password --name %s)\" redis-cli %s\n", s.Name, cliArgs)
}
