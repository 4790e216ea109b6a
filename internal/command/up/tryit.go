//go:build !nodeimage

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
	if s.TLS {
		cliArgs = tlsArgs(w, s) + cliArgs
	}
	if s.NoPassword {
		fmt.Fprintf(w, "Try it (no password, --no-password):\n  redis-cli %s\n", cliArgs)
		return
	}
	fmt.Fprintf(w, "Try it (the password stays out of your shell history):\n")
	if user := tryUser(s); user != "" {
		fmt.Fprintf(w, "  REDISCLI_AUTH=\"$(redis-dock password --name %s --user %s)\" redis-cli --user %s %s\n", s.Name, user, user, cliArgs)
		return
	}
	fmt.Fprintf(w, "  REDISCLI_AUTH=\"$(redis-dock password --name %s)\" redis-cli %s\n", s.Name, cliArgs)
}

// tryUser is the ACL user the line logs in as: the first --user, or
// redis-dock's admin user when the default user is off without one; ""
// for the default user, and for a sentinel group, whose line asks a
// sentinel (sentinels know the default user only, with the password).
func tryUser(s spec.Spec) string {
	if s.Mode == spec.ModeSentinel {
		return ""
	}
	if u := s.ParsedUsers(); len(u) > 0 {
		return u[0].Name
	}
	return s.AdminUser()
}

// tlsArgs prints how to fetch what redis-cli needs for a TLS cluster (the
// CA, the client certificate) and returns redis-cli's TLS flags.
func tlsArgs(w io.Writer, s spec.Spec) string {
	ca := s.Name + "-ca.pem"
	fmt.Fprintf(w, "TLS only: get the cluster's CA first:\n  redis-dock tls ca --name %s --out %s\n", s.Name, ca)
	args := "--tls --cacert " + ca + " "
	if s.TLSClientAuth {
		fmt.Fprintf(w, "and the client certificate the nodes want:\n  redis-dock tls client --name %s --dir .\n", s.Name)
		args += "--cert client.crt --key client.key "
	}
	return args
}
