package netmode

import (
	"fmt"
	"net/netip"
	"strings"
)

// Host runs the nodes on the host's network: they bind --bind (loopback
// by default) and take their client and bus ports on the host itself.
var Host Mode = host{}

func init() { register(Host) }

type host struct{}

// HostName is the host mode's --network value.
const HostName = "host"

func (host) Name() string { return HostName }

func (host) Validate(p Params) []error {
	var errs []error
	if (p.Bind == "0.0.0.0" || p.Bind == "::") && p.AnnounceIP == "" {
		errs = append(errs, fmt.Errorf("--bind %s: nodes on every address need --announce-ip, the one address other nodes and clients reach them at", p.Bind))
	}
	if p.AnnounceIP != "" && strings.HasPrefix(p.AnnounceIP, "127.") && !isLoopback(p.BindAddress()) {
		errs = append(errs, fmt.Errorf("--announce-ip %s: a loopback address is reachable only from this host, but nodes bind %s", p.AnnounceIP, p.BindAddress()))
	}
	return errs
}

// Node: nodes bind --bind. A cluster node announces where its peers reach
// it, the bind address unless --announce-ip says otherwise; a sentinel
// group announces --announce-ip only. Protected mode stays on without a
// password: Validate keeps the bind address loopback then, so every peer
// and client is local.
func (host) Node(p Params) Node {
	n := Node{Bind: p.BindAddress(), Announce: p.AnnounceIP, ProtectedMode: true}
	if n.Announce == "" && !p.Sentinel && !unspecified(n.Bind) {
		n.Announce = n.Bind
	}
	return n
}

func (host) Listen(p Params) Listen { return Listen{Flag: "--bind", Addr: p.BindAddress(), Bus: true} }

func (host) Peer(p Params, _ netip.Addr) string {
	if p.AnnounceIP != "" {
		return p.AnnounceIP
	}
	if b := p.BindAddress(); !unspecified(b) {
		return b
	}
	return "127.0.0.1"
}

func (host) Network(Params) string { return "" }

func (host) Container(p Params, _ netip.Addr, _ int) Container {
	return Container{Network: "host", HostIP: p.HostIP}
}
