// Package flags binds the cluster spec's flags, shared by up and the
// commands that render configs, so a flag means the same everywhere.
package flags

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// SpecFlags holds the flag values and the optional spec file.
type SpecFlags struct {
	s    spec.Spec
	file string
}

// NewSpecFlags starts from the defaults.
func NewSpecFlags() *SpecFlags { return &SpecFlags{s: spec.Default()} }

// Register adds the spec flags to cmd.
func (f *SpecFlags) Register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVarP(&f.file, "file", "f", "", "read the spec from a YAML file (flags override it)")
	fs.StringVar(&f.s.Name, "name", f.s.Name, "cluster name ([a-z0-9][a-z0-9-]*)")
	fs.StringVar(&f.s.Mode, "mode", f.s.Mode, "cluster or sentinel")
	fs.IntVar(&f.s.Masters, "masters", f.s.Masters, "number of masters (at least 3)")
	fs.IntVar(&f.s.Replicas, "replicas", f.s.Replicas, "replicas per master")
	fs.IntVar(&f.s.Port, "port", f.s.Port, "first client port; node i gets port+i")
	fs.IntVar(&f.s.BusPort, "bus-port", 0, "first cluster bus port (default port+10000)")
	fs.StringVar(&f.s.Network, "network", f.s.Network, "bridge or host")
	fs.StringVar(&f.s.HostIP, "host-ip", f.s.HostIP, "host address the client ports are published on (bridge)")
	fs.StringVar(&f.s.Bind, "bind", "", "address nodes listen on with --network host (default 127.0.0.1)")
	fs.StringVar(&f.s.AnnounceIP, "announce-ip", "", "address nodes announce (host networking behind NAT)")
	fs.StringVar(&f.s.Endpoint, "endpoint", f.s.Endpoint, "what nodes announce to clients: hostname (localhost, for the host) or ip (for clients in Docker networks)")
	fs.StringVar(&f.s.Image, "image", f.s.Image, "node image (built when missing)")
	fs.StringVar(&f.s.RedisBinary, "redis-binary", "", "redis-server to build the node image from when it is missing (default: redis-server on PATH)")
	fs.StringVar(&f.s.Password, "password", "", "password (prefer --password-file; default: a random one)")
	fs.StringVar(&f.s.PasswordFile, "password-file", "", "file whose first line is the password")
	fs.BoolVar(&f.s.NoPassword, "no-password", false, "no password at all: only with ports on a loopback --host-ip (bridge, compose) or a loopback --bind (host); refused for Swarm")
	fs.IntVar(&f.s.NodeTimeout, "node-timeout", f.s.NodeTimeout, "cluster-node-timeout in milliseconds")
	fs.BoolVar(&f.s.AppendOnly, "appendonly", f.s.AppendOnly, "persist with AOF")
	fs.StringArrayVar(&f.s.Config, "config", nil, "extra redis.conf directive, e.g. --config 'maxmemory 100mb' (repeatable)")
	fs.StringVar(&f.s.Subnet, "subnet", "", "bridge network subnet (default: a free /24 in 10.213.0.0/16)")
	fs.DurationVar(&f.s.Wait, "wait", f.s.Wait, "how long to wait for a healthy cluster")
	fs.IntVar(&f.s.Sentinels, "sentinels", 0, "with --mode sentinel: number of sentinels (default 3; odd is best)")
	fs.BoolVar(&f.s.Cascade, "cascade", false, "with --mode sentinel: chain the replicas (replica i follows replica i-1)")
	fs.IntVar(&f.s.DownAfter, "down-after", 0, "with --mode sentinel: down-after-milliseconds (default 5000)")
}

// Spec returns the spec: defaults, then the file, then flags the user set.
func (f *SpecFlags) Spec(cmd *cobra.Command) (spec.Spec, error) {
	if f.file == "" {
		return withModeDefaults(cmd, f.s, cmd.Flags().Changed("masters"))
	}
	fromFile, err := spec.LoadFile(f.file, spec.Default())
	if err != nil {
		return f.s, err
	}
	out := fromFile
	cmd.Flags().Visit(func(fl *pflagFlag) { apply(&out, f.s, fl.Name) })
	return withModeDefaults(cmd, out, cmd.Flags().Changed("masters") || fileSets(f.file, "masters"))
}
