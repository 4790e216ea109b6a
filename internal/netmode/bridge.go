package netmode

import (
	"fmt"
	"net/netip"
	"strings"
)

// Bridge is the default mode: a bridge network of the cluster's own, each
// node at a static address on it, client ports published 1:1 on --host-ip.
var Bridge Mode = bridge{}

func init() { register(Bridge) }

type bridge struct{}

// BridgeName is the bridge mode's --network value.
const BridgeName = "bridge"

func (bridge) Name() string { return BridgeName }

func (bridge) Validate(p Params) []error {
	var errs []error
	if p.AnnounceIP != "" && strings.HasPrefix(p.AnnounceIP, "127.") {
		errs = append(errs, fmt.Errorf("--announce-ip %s: a loopback address breaks node-to-node traffic on a bridge network", p.AnnounceIP))
	}
	if p.AnnounceIP != "" && p.Sentinel {
		errs = append(errs, fmt.Errorf("--announce-ip: in sentinel mode only with --network host (on a bridge every node has its own address)"))
	}
	return errs
}

// Node: nodes listen on every address of their own network namespace. A
// cluster node announces --announce-ip when given (the address its
// published port is reached at); otherwise, and always in sentinel mode,
// each node's own address is right.
func (bridge) Node(p Params) Node {
	n := Node{Bind: "0.0.0.0", Hostname: true}
	if !p.Sentinel {
		n.Announce = p.AnnounceIP
	}
	return n
}

func (bridge) Listen(p Params) Listen { return Listen{Flag: "--host-ip", Addr: p.HostIP} }

func (bridge) Peer(_ Params, ip netip.Addr) string { return ip.String() }

func (bridge) Network(p Params) string { return "redis-dock-" + p.Cluster }

func (b bridge) Container(p Params, ip netip.Addr, port int) Container {
	return Container{Network: b.Network(p), IP: ip, HostIP: p.HostIP, Publish: []int{port}}
}
