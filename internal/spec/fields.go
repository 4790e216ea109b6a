package spec

import (
	"fmt"
	"time"
)

// Field is one setting of a Spec: its flag (and YAML key), the flag's
// help, and whether a difference in it changes a running cluster. The
// flags of up, the -f overrides and Diff all come from Fields, so a new
// setting is one row here (plus the Spec field, its default in Default
// and its use in the templates). Flag defaults are Default()'s values.
type Field struct {
	Flag  string
	Usage string
	// Drift is whether Diff reports the field: it changes the cluster
	// (not the password source, the wait or the binary path).
	Drift bool
	// Swarm marks a setting of Swarm stacks only (stack render, swarm
	// up register it; up does not).
	Swarm bool
	// Ptr returns the field in s: *string, *int, *bool, *time.Duration
	// or *[]string, which is what the flag binds to.
	Ptr func(s *Spec) any
	// Copy sets the field of dst from src.
	Copy func(dst, src *Spec)
	// Value is what Diff compares: the field itself, or what follows
	// from it (the first bus port).
	Value func(s Spec) any
}

// field builds a row for a field of type T.
func field[T any](flag string, drift bool, usage string, ptr func(*Spec) *T) Field {
	return Field{
		Flag: flag, Usage: usage, Drift: drift,
		Ptr:   func(s *Spec) any { return ptr(s) },
		Copy:  func(dst, src *Spec) { *ptr(dst) = *ptr(src) },
		Value: func(s Spec) any { return *ptr(&s) },
	}
}

// swarm marks the row as a Swarm stacks' setting.
func (f Field) swarm() Field { f.Swarm = true; return f }

// comparing sets what Diff compares for the field.
func (f Field) comparing(v func(Spec) any) Field { f.Value = v; return f }

// Fields is every setting of a Spec, in the order of up's help.
var Fields = []Field{
	field("name", false, "cluster name ([a-z0-9][a-z0-9-]*)", func(s *Spec) *string { return &s.Name }),
	field("mode", true, "cluster or sentinel", func(s *Spec) *string { return &s.Mode }),
	field("masters", true, "number of masters (at least 3)", func(s *Spec) *int { return &s.Masters }),
	field("replicas", true, "replicas per master", func(s *Spec) *int { return &s.Replicas }),
	field("port", true, "first client port; node i gets port+i", func(s *Spec) *int { return &s.Port }),
	field("bus-port", true, "first cluster bus port (default port+10000)", func(s *Spec) *int { return &s.BusPort }).
		comparing(func(s Spec) any { return s.FirstBusPort() }),
	field("network", true, "bridge or host", func(s *Spec) *string { return &s.Network }),
	field("host-ip", true, "host address the client ports are published on (bridge)", func(s *Spec) *string { return &s.HostIP }),
	field("bind", true, "address nodes listen on with --network host (default 127.0.0.1)", func(s *Spec) *string { return &s.Bind }),
	field("announce-ip", true, "address nodes announce (host networking behind NAT)", func(s *Spec) *string { return &s.AnnounceIP }),
	field("endpoint", true, "what nodes announce to clients: hostname (localhost, for the host) or ip (for clients in Docker networks)",
		func(s *Spec) *string { return &s.Endpoint }),
	field("image", true, "node image (built when missing)", func(s *Spec) *string { return &s.Image }),
	field("redis-binary", false, "redis-server to build the node image from when it is missing (default: redis-server on PATH)",
		func(s *Spec) *string { return &s.RedisBinary }),
	field("password", false, "password (prefer --password-file; default: a random one)", func(s *Spec) *string { return &s.Password }),
	field("password-file", false, "file whose first line is the password", func(s *Spec) *string { return &s.PasswordFile }),
	field("no-password", false, "no password at all: only with ports on a loopback --host-ip (bridge, compose) or a loopback --bind (host); refused for Swarm",
		func(s *Spec) *bool { return &s.NoPassword }),
	field("node-timeout", true, "cluster-node-timeout in milliseconds", func(s *Spec) *int { return &s.NodeTimeout }),
	field("appendonly", true, "persist with AOF", func(s *Spec) *bool { return &s.AppendOnly }),
	field("config", true, "extra redis.conf directive, e.g. --config 'maxmemory 100mb' (repeatable)", func(s *Spec) *[]string { return &s.Config }),
	field("subnet", false, "bridge network subnet (default: a free /24 in 10.213.0.0/16)", func(s *Spec) *string { return &s.Subnet }),
	field("wait", false, "how long to wait for a healthy cluster", func(s *Spec) *time.Duration { return &s.Wait }),
	field("sentinels", true, "with --mode sentinel: number of sentinels (default 3; odd is best)", func(s *Spec) *int { return &s.Sentinels }),
	field("cascade", true, "with --mode sentinel: chain the replicas (replica i follows replica i-1)", func(s *Spec) *bool { return &s.Cascade }),
	field("down-after", true, "with --mode sentinel: down-after-milliseconds (default 5000)", func(s *Spec) *int { return &s.DownAfter }),
	field("tls", true, "nodes speak TLS only: a CA and node certificates are made (or given with --tls-ca and --tls-cert-dir); bridge and host networks and Swarm stacks",
		func(s *Spec) *bool { return &s.TLS }),
	field("tls-client-auth", true, "with --tls: nodes want a client certificate (tls-auth-clients yes; default optional)",
		func(s *Spec) *bool { return &s.TLSClientAuth }),
	field("tls-days", false, "with --tls: validity in days of the certificates redis-dock makes", func(s *Spec) *int { return &s.TLSDays }),
	field("tls-ca", false, "with --tls: your CA certificate (PEM) instead of one redis-dock makes; needs --tls-cert-dir",
		func(s *Spec) *string { return &s.TLSCA }),
	field("tls-cert-dir", false, "with --tls-ca: directory with <node>.crt and <node>.key per node (e.g. default-7000.crt), or node.crt and node.key for all; client.crt and client.key with --tls-client-auth",
		func(s *Spec) *string { return &s.TLSCertDir }),
	field("memory", true, "memory limit of each node container, such as 512m or 2g (at least 32m); maxmemory becomes 75% of it, leaving room for replication buffers and the fork of a save, unless --config sets maxmemory",
		func(s *Spec) *string { return &s.Memory }),
	field("cpus", true, "CPU limit of each node container, such as 0.5 or 2", func(s *Spec) *string { return &s.CPUs }),
	field("user", true, "ACL user NAME:RULES, e.g. --user app:'~app:* +@read +@write' (repeatable; a generated password each, see `redis-dock password --user NAME`); bridge and host networks, cluster mode",
		func(s *Spec) *[]string { return &s.Users }),
	field("no-default-user", true, "turn Redis's default user off (user default off): clients must AUTH as a --user",
		func(s *Spec) *bool { return &s.NoDefaultUser }),
	field("user-password-file", false, "NAME=PATH: user NAME's password is the first line of PATH instead of a generated one (repeatable)",
		func(s *Spec) *[]string { return &s.UserPasswordFiles }),
	field("user-password", false, "NAME=PASSWORD for a --user (prefer --user-password-file; repeatable)",
		func(s *Spec) *[]string { return &s.UserPasswords }),
	field("encrypted", true, "Swarm: encrypt the overlay between hosts with IPsec (needs ESP and AES-GCM in every host's kernel; swarm up refuses when the local engine's kernel lacks them)",
		func(s *Spec) *bool { return &s.Encrypted }).swarm(),
}

// FieldByFlag returns the row of flag name.
func FieldByFlag(name string) (Field, bool) {
	for _, f := range Fields {
		if f.Flag == name {
			return f, true
		}
	}
	return Field{}, false
}

// Diff names the first field that differs between two specs in a way that
// changes the cluster (Field.Drift).
func (s Spec) Diff(o Spec) string {
	for _, f := range Fields {
		if !f.Drift {
			continue
		}
		a, b := f.Value(s), f.Value(o)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			return fmt.Sprintf("--%s is %v, the running cluster has %v", f.Flag, a, b)
		}
	}
	return ""
}
