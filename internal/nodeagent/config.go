package nodeagent

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/templates"
)

// perTask are the directives the node adds at start; a base config that
// already sets one was not rendered by redis-dock and is refused.
var perTask = []string{"cluster-announce-ip", "replica-announce-ip", "requirepass", "masterauth", "masteruser", "user"}

// Secrets are what a node reads from its secret files at start.
type Secrets struct {
	Password string
	// User is the user replicas authenticate as (masteruser, with
	// Password): the cluster's admin user; "" is the default user.
	User string
	// Users are the ACL's `user` lines (a secret: they hold the password
	// hashes); a "user default off" line leaves requirepass out.
	Users []string
}

// Finalize appends what only the running task knows to a base redis.conf
// (a Swarm config or compose file, holding no secret): the address to
// announce, the password and the ACL users, read from secret files.
func Finalize(base []byte, announce netip.Addr, sec Secrets) ([]byte, error) {
	password := sec.Password
	for _, d := range perTask {
		if _, ok := templates.Directive(base, d); ok {
			return nil, fmt.Errorf("the base config already sets %s, which redis-dock node sets at start", d)
		}
	}
	if strings.ContainsAny(password, "\r\n\x00") {
		return nil, errors.New("the password must not contain newlines or NUL bytes")
	}
	var b strings.Builder
	b.Write(base)
	if len(base) > 0 && base[len(base)-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString("# added at start by redis-dock node\n")
	fmt.Fprintf(&b, "cluster-announce-ip %s\nreplica-announce-ip %s\n", announce, announce)
	if password != "" {
		if !slices.Contains(sec.Users, "user default off") {
			fmt.Fprintf(&b, "requirepass %s\n", templates.Quote(password))
		}
		if sec.User != "" {
			fmt.Fprintf(&b, "masteruser %s\n", templates.Quote(sec.User))
		}
		fmt.Fprintf(&b, "masterauth %s\n", templates.Quote(password))
	}
	for _, u := range sec.Users {
		b.WriteString(u + "\n")
	}
	return []byte(b.String()), nil
}

// Ports reads the client and bus ports from a rendered redis.conf: a
// TLS node's client port is its tls-port (port is 0).
func Ports(conf []byte) (port, bus int, err error) {
	port, err = intDirective(conf, "port")
	if _, ok := templates.Directive(conf, "tls-port"); ok || port == 0 {
		port, err = intDirective(conf, "tls-port")
	}
	if err != nil {
		return 0, 0, err
	}
	bus, err = intDirective(conf, "cluster-port")
	if err != nil {
		bus = port + 10000
	}
	return port, bus, nil
}

func intDirective(conf []byte, name string) (int, error) {
	args, ok := templates.Directive(conf, name)
	if !ok || len(args) != 1 {
		return 0, fmt.Errorf("the config sets no %s", name)
	}
	v, err := strconv.Atoi(args[0])
	if err != nil {
		return 0, fmt.Errorf("the config's %s %q is not a number", name, args[0])
	}
	return v, nil
}

// ReadPassword reads a password file as spec.ReadPasswordFile does: the
// first line; an empty path means no password.
func ReadPassword(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--password-file: %w", err)
	}
	pw := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r")
	if pw == "" {
		return "", fmt.Errorf("--password-file %s: the file is empty", path)
	}
	return pw, nil
}

// ReadCA reads the cluster's CA certificate for TLS connections to the
// nodes; an empty path means the nodes speak plain TCP (nil).
func ReadCA(path string) (*redisx.TLS, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--tls-ca: %w", err)
	}
	if !bytes.Contains(b, []byte("-----BEGIN CERTIFICATE-----")) {
		return nil, fmt.Errorf("--tls-ca %s: no PEM certificate in it", path)
	}
	return &redisx.TLS{CA: b}, nil
}

// ReadUsers reads a users file: one `user` line each (blank lines
// skipped); an empty path means no ACL users.
func ReadUsers(path string) ([]string, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--users-file: %w", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if !strings.HasPrefix(l, "user ") {
			return nil, fmt.Errorf("--users-file %s: every line must be a `user` directive", path)
		}
		out = append(out, l)
	}
	return out, nil
}
