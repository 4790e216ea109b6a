package templates

import (
	"fmt"
	"strings"
)

// owned lists the directives redis-dock sets itself; a user directive that
// names one is refused, since it would silently break the cluster.
var owned = map[string]string{
	"port": "set by --port", "bind": "set by --bind / the network mode",
	"protected-mode": "set from the password and network mode",
	"requirepass":    "set by --password / --password-file", "masterauth": "set by --password / --password-file",
	"masteruser": "set by redis-dock (its admin user, with --user)", "daemonize": "nodes run in the foreground",
	"logfile": "nodes log to stdout", "dir": "the data directory is the node's volume",
	"cluster-enabled": "set by the mode", "cluster-config-file": "one per port, set by redis-dock",
	"cluster-node-timeout": "set by --node-timeout", "cluster-port": "set by --bus-port",
	"cluster-announce-ip": "set by --announce-ip / the endpoint mode", "cluster-announce-port": "set by redis-dock",
	"cluster-announce-bus-port": "set by redis-dock", "cluster-announce-hostname": "set by --endpoint",
	"cluster-preferred-endpoint-type": "set by --endpoint", "appendonly": "set by --appendonly",
	"appendfilename": "one per port, set by redis-dock", "appenddirname": "one per port, set by redis-dock",
	"dbfilename": "one per port, set by redis-dock", "include": "configs are rendered whole",
	"replicaof": "replication is set up by redis-dock", "slaveof": "replication is set up by redis-dock",
	"replica-announce-ip": "set by --announce-ip", "rename-command": "redis-dock needs the admin commands",
	"unixsocket": "nodes are reached over TCP", "aclfile": "ACL users are set by --user, in the config",
	"user": "set by --user / --no-default-user", "cluster-announce-tls-port": "set by --tls",
	"tls-port": "set by --tls", "tls-cert-file": "set by --tls", "tls-key-file": "set by --tls",
	"tls-ca-cert-file": "set by --tls", "tls-ca-cert-dir": "set by --tls", "tls-auth-clients": "set by --tls-client-auth",
	"tls-replication": "set by --tls", "tls-cluster": "set by --tls", "tls-client-cert-file": "set by --tls",
	"tls-client-key-file": "set by --tls",
}

// CheckExtra refuses user directives that redis-dock owns, that Redis does
// not know, or that are not one "name value..." line Redis can parse.
func CheckExtra(lines []string) error {
	for _, line := range lines {
		if strings.ContainsAny(line, "\n\r") {
			return fmt.Errorf("--config %q: a directive is one line", line)
		}
		// Split as Redis does, so a quoted name ("port") is still caught
		// and a line Redis would refuse to load is refused here.
		fields, err := SplitArgs(strings.TrimSpace(line))
		if err != nil {
			return fmt.Errorf("--config %q: %w", line, err)
		}
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			return fmt.Errorf("--config %q: want one directive as \"name value\"", line)
		}
		name := strings.ToLower(fields[0])
		if why, ok := owned[name]; ok {
			return fmt.Errorf("--config %q: %s is managed by redis-dock (%s)", line, name, why)
		}
		if !known[name] {
			return fmt.Errorf("--config %q: redis-server knows no directive %s (see CONFIG GET * for the names)", line, name)
		}
	}
	return nil
}
