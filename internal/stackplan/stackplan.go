// Package stackplan plans a cluster that brings itself up, for Swarm
// stacks and compose files alike: every node runs `redis-dock node` (it
// finds its own address on the cluster's network by the subnet), and a
// one-shot `redis-dock bootstrap` forms or heals the cluster. Packages
// swarm and compose turn the plan into their formats. The base configs
// come from templates.RenderNode, as every other node's redis.conf.
package stackplan

import (
	"errors"
	"fmt"
	"hash/fnv"
	"net/netip"
	"strconv"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

// Names and places inside the stack or project.
const (
	NodePrefix       = "node-"     // node services are node-<port>
	BootstrapService = "bootstrap" // the one-shot service
	NetworkKey       = "redis"     // the network's key in the file
	PasswordSecret   = "password"  // the secret's key, mounted at SecretPath
	SecretPath       = "/run/secrets/" + PasswordSecret
	ConfigPath       = "/etc/redis-dock/redis.conf" // where the base config is mounted
	DataDir          = "/data"
	BootstrapWait    = "5m"
)

// Plan is one self-bootstrapping cluster.
type Plan struct {
	Spec   spec.Spec
	Subnet netip.Prefix
	Nodes  []Node
}

// Node is one planned node and its base config.
type Node struct {
	topology.Node
	Service string // DNS name: NodePrefix + port
	Conf    []byte // redis.conf without password and announce address
}

// New plans s on a network with subnet. hostnameEndpoint renders the
// nodes to announce "localhost" to clients (compose, with ports
// published 1:1 on the host), else their network address (Swarm).
func New(s spec.Spec, subnet netip.Prefix, hostnameEndpoint bool) (*Plan, error) {
	if s.Mode != spec.ModeCluster {
		return nil, fmt.Errorf("--mode %s: stacks and compose files are made for cluster mode only", s.Mode)
	}
	if !subnet.IsValid() || !subnet.Addr().Is4() || subnet.Bits() > 24 {
		return nil, fmt.Errorf("--subnet %s: want an IPv4 CIDR of /24 or larger", subnet)
	}
	p := &Plan{Spec: s, Subnet: subnet.Masked()}
	for _, n := range topology.New(topology.Params{Cluster: s.Name, Masters: s.Masters, Replicas: s.Replicas,
		Port: s.Port, BusPort: s.FirstBusPort()}).Nodes {
		conf, err := baseConf(s, n, hostnameEndpoint)
		if err != nil {
			return nil, err
		}
		p.Nodes = append(p.Nodes, Node{Node: n, Service: NodePrefix + strconv.Itoa(n.Port), Conf: conf})
	}
	return p, nil
}

// baseConf is node n's redis.conf without the password, which must not
// be in a Swarm config or a file beside the compose file: the node adds
// it (and its address) at start (nodeagent.Finalize).
func baseConf(s spec.Spec, n topology.Node, hostnameEndpoint bool) ([]byte, error) {
	st := s.NodeSettings()
	st.Password, st.Users = "", nil // secrets: the node adds them at start
	node := templates.Node{Name: n.Name, Port: n.Port, BusPort: n.BusPort, Bind: []string{"0.0.0.0"}, Dir: DataDir}
	if hostnameEndpoint {
		node.AnnounceHostname = "localhost"
	}
	return templates.RenderNode(st, node)
}

// Topology is the plan's layout as topology planned it.
func (p *Plan) Topology() topology.Plan {
	t := topology.Plan{Nodes: make([]topology.Node, len(p.Nodes))}
	for i, n := range p.Nodes {
		t.Nodes[i] = n.Node
	}
	return t
}

// DefaultSubnet is a /24 in 10.214.0.0/16 picked by the cluster's name,
// so a file rendered without --subnet is the same every time.
func DefaultSubnet(name string) netip.Prefix {
	h := fnv.New32a()
	h.Write([]byte(name))
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 214, byte(h.Sum32() % 256), 0}), 24)
}

// shapeArgs are the flags that tell the in-image commands the cluster's
// shape and where the password secret is (none with --no-password).
func (p *Plan) shapeArgs() []string {
	s := p.Spec
	args := []string{"--name", s.Name, "--masters", strconv.Itoa(s.Masters), "--replicas", strconv.Itoa(s.Replicas),
		"--port", strconv.Itoa(s.Port), "--bus-port", strconv.Itoa(s.FirstBusPort()), "--service-prefix", NodePrefix}
	if s.TLS {
		args = append(args, "--tls-ca", CAPath)
	}
	if s.ACL() {
		args = append(args, "--user", s.AdminUser())
	}
	if s.NoPassword {
		return args
	}
	return append(args, "--password-file", SecretPath)
}

// NodeCommand is the command of every node. A node refuses to start
// without a password unless told --no-password.
func (p *Plan) NodeCommand() []string {
	cmd := append([]string{"redis-dock", "node", "--config", ConfigPath, "--subnet", p.Subnet.String()}, p.shapeArgs()...)
	if p.Spec.NoPassword {
		cmd = append(cmd, "--no-password")
	}
	if p.Spec.ACL() {
		cmd = append(cmd, "--users-file", UsersPath)
	}
	return cmd
}

// BootstrapCommand is the command of the one-shot bootstrap.
func (p *Plan) BootstrapCommand() []string {
	return append(append([]string{"redis-dock", "bootstrap"}, p.shapeArgs()...), "--wait", BootstrapWait)
}

// CheckCommand is the command of a helper that checks the cluster from
// inside its network, with more flags of `redis-dock check`.
func (p *Plan) CheckCommand(extra ...string) []string {
	return append(append([]string{"redis-dock", "check"}, p.shapeArgs()...), extra...)
}

// NodeLabels are the labels of node n's container (and service), the
// same as a bridge node's so status, down and other tools find them.
func (p *Plan) NodeLabels(n Node) map[string]string {
	return docker.NodeLabels(p.Spec.Name, n.Role, n.Port, n.Index, nil)
}

// BootstrapLabels are the bootstrap's labels; LabelSpec holds the spec
// (no secret in it), so `swarm status` knows the cluster's shape.
func (p *Plan) BootstrapLabels() map[string]string {
	return map[string]string{docker.LabelCluster: p.Spec.Name, docker.LabelRole: BootstrapService, docker.LabelSpec: SpecLabel(p.Spec)}
}

// SpecLabel is the spec as a label (spec.Label).
func SpecLabel(s spec.Spec) string { return s.Label() }

// ParseSpecLabel reads a spec written by SpecLabel.
func ParseSpecLabel(v string) (spec.Spec, error) {
	s, err := spec.ParseLabel(v)
	if err != nil {
		return s, fmt.Errorf("unreadable %s label: %w", docker.LabelSpec, err)
	}
	return s, nil
}

// Labels are the labels of the network, volumes, configs and secret.
func (p *Plan) Labels() map[string]string { return map[string]string{docker.LabelCluster: p.Spec.Name} }

// NodeLock is what a node task may not do, on Swarm as in a locked node
// container of `up`: no capability (it runs as the redis user from the
// start: its secrets and configs are mounted readable by that user), a
// read-only root (it writes only to the data volume: data, nodes.conf and
// the final redis.conf, which CONFIG REWRITE rewrites; a /tmp tmpfs as
// `up` gives its nodes), and a pids limit.
var NodeLock = docker.TaskLock{CapDrop: []string{"ALL"}, ReadOnly: true, Tmpfs: []string{"/tmp"}, Pids: docker.PidsLimit}

// RedisUID is the node image's redis user (images.UID).
const RedisUID = images.UID

// FromSpec validates s and plans it on s.Subnet, or DefaultSubnet.
func FromSpec(s spec.Spec, hostnameEndpoint bool) (*Plan, error) {
	if err := checkTLS(s, hostnameEndpoint); err != nil {
		return nil, err
	}
	if s.ACL() && hostnameEndpoint {
		return nil, ErrNoUsers
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	subnet := DefaultSubnet(s.Name)
	if s.Subnet != "" {
		subnet = netip.MustParsePrefix(s.Subnet) // Validate checked it
	}
	return New(s, subnet, hostnameEndpoint)
}

// ErrNoTLS refuses --tls for compose files: their certificates' way in
// (files beside the rendered configs) is still to do.
var ErrNoTLS = errors.New("--tls: compose files do not support TLS yet; use `redis-dock swarm up --tls`, `stack render --tls`, or `redis-dock up --tls` on a bridge or host network")

// ErrStackTLSFlags refuses the TLS flags a stack does not take yet.
var ErrStackTLSFlags = errors.New("--tls-ca, --tls-cert-dir and --tls-client-auth: Swarm stacks take only --tls and --tls-days (redis-dock makes the CA and the node certificates); use them with `redis-dock up` on a bridge or host network")

// checkTLS refuses what a stack (hostnameEndpoint false) or a compose
// file (true) cannot do with TLS.
func checkTLS(s spec.Spec, hostnameEndpoint bool) error {
	switch {
	case !s.TLS:
		return nil
	case hostnameEndpoint:
		return ErrNoTLS
	case s.TLSCA != "" || s.TLSCertDir != "" || s.TLSClientAuth:
		return ErrStackTLSFlags
	}
	return nil
}

// ErrNoUsers refuses --user and --no-default-user for compose files: the
// users file's way in is still to do.
var ErrNoUsers = errors.New("--user and --no-default-user: compose files do not support ACL users yet; use them with `redis-dock swarm up`, `stack render`, or `redis-dock up` on a bridge or host network")

// DefaultBridgeSubnet is DefaultSubnet for compose's bridge network, in
// 10.215.0.0/16, so a stack and a compose project of one name can share
// a host.
func DefaultBridgeSubnet(name string) netip.Prefix {
	a := DefaultSubnet(name).Addr().As4()
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 215, a[2], 0}), 24)
}
