// Package node is `redis-dock node`, the entry point of every node task
// of a stack or compose project: it finds the task's address on the
// cluster's network by its subnet, finishes redis.conf with that address
// and the password from a secret, and execs redis-server.
package node

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/nodeflags"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
	"github.com/redis-dock/redis-dock/internal/status"
)

type flags struct {
	nodeflags.Flags
	config    string
	out       string
	subnet    string
	announce  bool
	noPass    bool
	usersFile string
}

// NewCommand returns the node command with its hidden announce helper.
func NewCommand(env *status.Env) *cobra.Command {
	f := &flags{}
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Start a node: announce this task's address on --subnet, add the password, exec redis-server",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return run(env, f) },
	}
	f.Register(cmd)
	fs := cmd.Flags()
	fs.StringVar(&f.config, "config", "/etc/redis-dock/redis.conf", "base redis.conf (a Swarm config; no password, no announce address)")
	// on the data volume: a Swarm node's root filesystem is read-only
	fs.StringVar(&f.out, "out", nodeagent.DataDir+"/redis.conf", "where to write the final redis.conf (mode 0600)")
	fs.StringVar(&f.subnet, "subnet", "", "the cluster network's subnet: the address inside it is announced")
	fs.BoolVar(&f.announce, "announce", true, "after start, ask the other nodes to MEET this one if they know it at an old address")
	fs.BoolVar(&f.noPass, "no-password", false, "run without a password (compose files of --no-password clusters, ports on loopback only)")
	fs.StringVar(&f.usersFile, "users-file", "", "the ACL's `user` lines (a Swarm secret), appended to redis.conf with masteruser --user")
	cmd.AddCommand(newAnnounce(env))
	return cmd
}

func run(env *status.Env, f *flags) error {
	subnet, err := netip.ParsePrefix(f.subnet)
	if err != nil {
		return fmt.Errorf("--subnet %q: want the network's CIDR, such as 10.214.5.0/24", f.subnet)
	}
	ip, err := nodeagent.AddrIn(subnet.Masked())
	if err != nil {
		return err
	}
	base, err := os.ReadFile(f.config)
	if err != nil {
		return fmt.Errorf("--config: %w", err)
	}
	port, bus, err := nodeagent.Ports(base)
	if err != nil {
		return fmt.Errorf("--config %s: %w", f.config, err)
	}
	pw, err := f.password()
	if err != nil {
		return err
	}
	users, err := nodeagent.ReadUsers(f.usersFile)
	if err != nil {
		return err
	}
	conf, err := nodeagent.Finalize(base, ip, nodeagent.Secrets{Password: pw, User: f.Shape.User, Users: users})
	if err != nil {
		return fmt.Errorf("--config %s: %w", f.config, err)
	}
	if err := nodeagent.WritePrivate(f.out, conf, nodeagent.RedisUID, nodeagent.RedisGID); err != nil {
		return err
	}
	if err := nodeagent.DropRoot(nodeagent.RedisUID, nodeagent.RedisGID); err != nil {
		return err
	}
	env.Logger.Infof("node: announcing %s:%d (bus %d) on %s", ip, port, bus, subnet)
	if f.announce && f.Shape.Validate() == nil {
		if err := nodeagent.Spawn(true, append(announceArgs(f, ip, port, bus), "--fork")...); err != nil {
			env.Logger.Warnf("node: %v", err)
		}
	}
	return nodeagent.ExecRedis(f.out)
}

// password is the node's password. A node never runs open by accident:
// without a password file it needs --no-password, which only compose
// files of --no-password clusters pass (stacks refuse it).
func (f *flags) password() (string, error) {
	switch {
	case f.noPass && f.PasswordFile != "":
		return "", errors.New("--no-password: cannot be combined with --password-file")
	case f.noPass:
		return "", nil
	case f.PasswordFile == "":
		return "", errors.New("--password-file: a node needs the password secret, or --no-password to run without one")
	}
	return f.Password()
}

func announceArgs(f *flags, ip netip.Addr, port, bus int) []string {
	s := f.Shape
	return []string{"node", "announce", "--ip", ip.String(), "--self-port", strconv.Itoa(port), "--self-bus-port", strconv.Itoa(bus),
		"--name", s.Name, "--masters", strconv.Itoa(s.Masters), "--replicas", strconv.Itoa(s.Replicas),
		"--port", strconv.Itoa(s.Port), "--bus-port", strconv.Itoa(s.BusPort), "--service-prefix", s.Prefix,
		"--password-file", f.PasswordFile, "--tls-ca", f.TLSCAFile, "--user", s.User}
}
