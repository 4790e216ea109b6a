package netmode

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// all are the registered modes plus the overlay, which swarm chooses.
func all() []Mode {
	out := []Mode{Overlay}
	for _, name := range Names() {
		out = append(out, modes[name])
	}
	return out
}

// TestModesAreConsistent holds every mode, registered or added later, to
// the rules the callers rely on: a new mode file passes it or says why not.
func TestModesAreConsistent(t *testing.T) {
	ip := netip.MustParseAddr("10.213.0.12")
	for _, m := range all() {
		for _, sentinel := range []bool{false, true} {
			p := Params{Cluster: "demo", HostIP: "127.0.0.1", Sentinel: sentinel}
			n := Net{Mode: m, Params: p}
			if errs := n.Validate(); len(errs) > 0 {
				t.Errorf("%s: the default params are refused: %v", m.Name(), errs)
			}
			node := n.Node()
			mustIP(t, m, "Node().Bind", node.Bind)
			if node.Announce != "" {
				mustIP(t, m, "Node().Announce", node.Announce)
			}
			mustIP(t, m, "Peer", n.Peer(ip))
			mustIP(t, m, "Admin", n.Admin())
			l := n.Listen()
			if l.Flag == "" && !unspecified(l.Addr) {
				t.Errorf("%s: Listen %+v: an address that no flag sets", m.Name(), l)
			}
			c := n.Container(ip, 7000)
			if c.Network == "" {
				t.Errorf("%s: Container attaches no network", m.Name())
			}
			own := n.Network()
			if (own != "") != c.IP.IsValid() || (own != "" && c.Network != own) {
				t.Errorf("%s: Network %q, Container %+v: a network of its own and a static address go together", m.Name(), own, c)
			}
			if len(c.Publish) > 0 && (!slices.Equal(c.Publish, []int{7000}) || c.HostIP != p.HostIP || l.Bus) {
				t.Errorf("%s: Container %+v, Listen %+v: published ports are the client port on --host-ip", m.Name(), c, l)
			}
			if len(c.Publish) == 0 && own == "" && !l.Bus && !sentinel {
				t.Errorf("%s: nodes share the host's network but the bus ports are not checked on it", m.Name())
			}
			if node.ProtectedMode && (!isLoopback(node.Bind) || !isLoopback(n.Peer(ip)) || !isLoopback(l.Addr)) {
				t.Errorf("%s: protected mode on, but Node %+v, peer %s, listen %+v are not all loopback", m.Name(), node, n.Peer(ip), l)
			}
		}
	}
}

func mustIP(t *testing.T, m Mode, what, addr string) {
	t.Helper()
	if _, err := netip.ParseAddr(addr); err != nil {
		t.Errorf("%s: %s = %q, want an IP address", m.Name(), what, addr)
	}
}

// TestNoPasswordStaysLocal: a mode either refuses --no-password or, with
// the default addresses, keeps every way in on loopback.
func TestNoPasswordStaysLocal(t *testing.T) {
	for _, m := range all() {
		n := Net{Mode: m, Params: Params{Cluster: "demo", HostIP: "127.0.0.1", NoPassword: true}}
		if len(n.Validate()) > 0 {
			continue
		}
		if !isLoopback(n.Listen().Addr) {
			t.Errorf("%s: --no-password accepted, but clients reach the nodes on %q", m.Name(), n.Listen().Addr)
		}
	}
}

func TestLookup(t *testing.T) {
	if got := Names(); !slices.Equal(got, []string{"bridge", "host"}) {
		t.Errorf("Names() = %v, want [bridge host]", got)
	}
	for _, name := range Names() {
		if m, err := Lookup(name); err != nil || m.Name() != name {
			t.Errorf("Lookup(%q) = %v, %v", name, m, err)
		}
	}
	_, err := Lookup("overlay")
	if err == nil || !strings.Contains(err.Error(), `--network "overlay"`) || !strings.Contains(err.Error(), "allowed are bridge or host") {
		t.Errorf("Lookup(overlay) = %v, want an error naming --network and the allowed values", err)
	}
	if Of("nope") != Bridge || Of("host") != Host {
		t.Errorf("Of falls back to %s for unknown names", Default)
	}
}

// macvlan is a mode added in a file of its own, as a new mode would be.
type macvlan struct{ bridge }

func (macvlan) Name() string { return "macvlan" }

// TestAddingAMode shows that a mode is one registered type: it is then a
// --network value, named in the error for unknown ones.
func TestAddingAMode(t *testing.T) {
	register(macvlan{})
	defer delete(modes, "macvlan")
	if m, err := Lookup("macvlan"); err != nil || m.Name() != "macvlan" {
		t.Fatalf("Lookup(macvlan) = %v, %v", m, err)
	}
	if _, err := Lookup("nope"); err == nil || !strings.Contains(err.Error(), "allowed are bridge or host or macvlan") {
		t.Errorf("Lookup(nope) = %v, want the new mode among the allowed values", err)
	}
}

func TestHostRules(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    Params
		want string
	}{
		{"every address without announce", Params{Bind: "0.0.0.0"}, "--bind 0.0.0.0"},
		{"loopback announce on public bind", Params{Bind: "192.0.2.4", AnnounceIP: "127.0.0.1"}, "--announce-ip 127.0.0.1"},
		{"loopback announce on loopback bind", Params{AnnounceIP: "127.0.0.2"}, ""},
	} {
		errs := Host.Validate(tt.p)
		if (tt.want == "") != (len(errs) == 0) || (tt.want != "" && !strings.Contains(errs[0].Error(), tt.want)) {
			t.Errorf("%s: Validate = %v, want %q", tt.name, errs, tt.want)
		}
	}
	if n := Host.Node(Params{}); n.Announce != "127.0.0.1" {
		t.Errorf("a cluster node on host networking announces %q, want its bind address", n.Announce)
	}
	if n := Host.Node(Params{Sentinel: true}); n.Announce != "" {
		t.Errorf("a sentinel group on host networking announces %q, want only --announce-ip", n.Announce)
	}
	if got := Host.Peer(Params{Bind: "0.0.0.0", AnnounceIP: "192.0.2.7"}, netip.Addr{}); got != "192.0.2.7" {
		t.Errorf("Peer = %s, want the announced address", got)
	}
}
