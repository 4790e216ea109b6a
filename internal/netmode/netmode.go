// Package netmode owns the network modes a cluster's nodes run in: the
// bridge network of the cluster's own, the host's network, and the Swarm
// overlay of a stack. A Mode answers every question whose answer depends
// on the mode: which rules --host-ip, --bind and --announce-ip follow, the
// address nodes bind and announce, whether protected mode can stay on,
// where the tool and the peers reach a node, which network to create and
// check, and a node container's network settings. Callers ask the mode
// (usually through spec.Spec.Net) instead of branching on --network; a new
// mode is one file that implements Mode and registers itself.
package netmode

import (
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// Default is the mode of a spec that names none (and of an unknown name
// once validation has let it through).
const Default = BridgeName

// Params are the spec's fields a mode reads, as plain values, so that
// package spec can import this one.
type Params struct {
	Cluster    string // --name
	HostIP     string // --host-ip: where published ports listen
	Bind       string // --bind: where host-network nodes listen ("" is 127.0.0.1)
	AnnounceIP string // --announce-ip
	NoPassword bool   // --no-password
	Sentinel   bool   // --mode sentinel (no cluster bus, sentinels beside the data nodes)
}

// BindAddress is --bind, or 127.0.0.1 when it is not given.
func (p Params) BindAddress() string {
	if p.Bind != "" {
		return p.Bind
	}
	return "127.0.0.1"
}

// Mode is one network mode. Its methods are pure: they decide, callers act.
type Mode interface {
	// Name is the mode's --network value.
	Name() string
	// Validate returns the mode's own rules that p breaks, each naming
	// its flag and what is allowed.
	Validate(p Params) []error
	// Node is what a node's config says about the network.
	Node(p Params) Node
	// Listen is where clients outside Docker reach the nodes' ports.
	Listen(p Params) Listen
	// Peer is where other nodes reach a node whose address on the
	// cluster's network is ip (MEET, MIGRATE and replicaof target).
	Peer(p Params, ip netip.Addr) string
	// Network is the cluster's own network, to check, create and read
	// node addresses from; "" when the mode has none.
	Network(p Params) string
	// Container is the network settings of the container of a node with
	// client port port and planned address ip.
	Container(p Params, ip netip.Addr, port int) Container
}

// Node is what a node's config says about the network.
type Node struct {
	Bind          string // the address it listens on
	Announce      string // the address it announces ("" lets Redis tell)
	ProtectedMode bool   // without a password, protected mode stays on: every peer and client is local
	Hostname      bool   // clients on the host reach it as localhost, so --endpoint hostname applies
}

// Listen is where clients outside Docker reach the nodes' ports.
type Listen struct {
	Flag string // the flag that sets Addr ("" when none does)
	Addr string // "" is every address (Docker's default for published ports)
	Bus  bool   // the cluster bus ports are taken on the host too
}

// Address is Addr with "" spelled out as 0.0.0.0.
func (l Listen) Address() string {
	if l.Addr == "" {
		return "0.0.0.0"
	}
	return l.Addr
}

// Admin is the address the tool on the host uses for a node's client
// port: Addr, or loopback when the nodes listen on every address.
func (l Listen) Admin() string {
	if unspecified(l.Addr) {
		return "127.0.0.1"
	}
	return l.Addr
}

// PortFlag names the flags of the host ports a node takes.
func (l Listen) PortFlag() string {
	if l.Bus {
		return "--port/--bus-port"
	}
	return "--port"
}

// Container is a node container's network settings.
type Container struct {
	Network string     // the network to attach, or "host"
	IP      netip.Addr // static address on Network, when the mode plans one
	HostIP  string     // where Publish listens
	Publish []int      // container ports published 1:1 on HostIP
}

// Net is a mode with the values it decides on: what callers hold.
type Net struct {
	Mode Mode
	Params
}

// Validate is the mode's rules on the params.
func (n Net) Validate() []error { return n.Mode.Validate(n.Params) }

// Node is what a node's config says about the network.
func (n Net) Node() Node { return n.Mode.Node(n.Params) }

// Listen is where clients outside Docker reach the nodes.
func (n Net) Listen() Listen { return n.Mode.Listen(n.Params) }

// Admin is where the tool reaches a node's client port.
func (n Net) Admin() string { return n.Listen().Admin() }

// AdminAddr is host:port of the client port port as the tool reaches it.
func (n Net) AdminAddr(port int) string { return net.JoinHostPort(n.Admin(), strconv.Itoa(port)) }

// Peer is where other nodes reach a node whose own address is ip.
func (n Net) Peer(ip netip.Addr) string { return n.Mode.Peer(n.Params, ip) }

// Network is the cluster's own network, "" when the mode has none.
func (n Net) Network() string { return n.Mode.Network(n.Params) }

// Container is a node container's network settings.
func (n Net) Container(ip netip.Addr, port int) Container {
	return n.Mode.Container(n.Params, ip, port)
}

var modes = map[string]Mode{}

// register makes m selectable with --network; each mode's file calls it
// from init.
func register(m Mode) {
	if _, dup := modes[m.Name()]; dup {
		panic("netmode: mode " + m.Name() + " registered twice")
	}
	modes[m.Name()] = m
}

// Names are the --network values, sorted.
func Names() []string {
	out := make([]string, 0, len(modes))
	for name := range modes {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the mode named by --network, or an error naming the
// flag and the allowed values.
func Lookup(name string) (Mode, error) {
	if m, ok := modes[name]; ok {
		return m, nil
	}
	return nil, fmt.Errorf("--network %q: allowed are %s", name, strings.Join(Names(), " or "))
}

// Of is Lookup for specs that were validated: an unknown name gives the
// Default mode.
func Of(name string) Mode {
	if m, err := Lookup(name); err == nil {
		return m
	}
	return modes[Default]
}

// unspecified reports whether addr means every address.
func unspecified(addr string) bool { return addr == "" || addr == "0.0.0.0" || addr == "::" }

func isLoopback(addr string) bool {
	a, err := netip.ParseAddr(addr)
	return err == nil && a.IsLoopback()
}
