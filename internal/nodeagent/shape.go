package nodeagent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/redis-dock/redis-dock/internal/form"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// Shape says which nodes a cluster has and how to reach them by name:
// node i listens on Port+i and is the service (DNS name) Prefix+port.
type Shape struct {
	Name     string
	Masters  int
	Replicas int
	Port     int
	BusPort  int // first bus port; 0: Port+10000
	Prefix   string
	TLS      *redisx.TLS // the cluster's CA: nodes speak TLS; nil: plain TCP
	User     string      // the user to authenticate as (the admin user); "": default
}

// Validate names the flag of the first mistake.
func (s Shape) Validate() error {
	switch {
	case s.Masters < 3:
		return fmt.Errorf("--masters %d: a Redis Cluster needs at least 3 masters", s.Masters)
	case s.Replicas < 0:
		return fmt.Errorf("--replicas %d: must be 0 or more", s.Replicas)
	case s.Port < 1 || s.Port+s.Masters*(1+s.Replicas) > 65536:
		return fmt.Errorf("--port %d: the client ports must lie inside 1..65535", s.Port)
	case s.Prefix == "":
		return errors.New("--service-prefix: name the prefix of the nodes' service names, such as node-")
	}
	return nil
}

// Plan is the topology the names stand for.
func (s Shape) Plan() topology.Plan {
	bus := s.BusPort
	if bus == 0 {
		bus = s.Port + 10000
	}
	return topology.New(topology.Params{Cluster: s.Name, Masters: s.Masters, Replicas: s.Replicas, Port: s.Port, BusPort: bus})
}

// Host is the DNS name of the node listening on port.
func (s Shape) Host(port int) string { return s.Prefix + strconv.Itoa(port) }

// Endpoint is a node by name.
type Endpoint struct {
	Host string
	Port int
}

// Peers lists every node but the one on port.
func (s Shape) Peers(port int) []Endpoint {
	var out []Endpoint
	for _, n := range s.Plan().Nodes {
		if n.Port != port {
			out = append(out, Endpoint{Host: s.Host(n.Port), Port: n.Port})
		}
	}
	return out
}

// Lookup resolves a name to its IPv4 addresses.
type Lookup func(ctx context.Context, host string) ([]netip.Addr, error)

// DNS resolves through the container's resolver (Swarm's or compose's
// embedded DNS server).
func DNS(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip4", host)
}

// Members resolves every node's name (which becomes the member's name in
// reports), waiting (until ctx ends) for each to resolve to exactly one
// address that accepts a connection on the node's port: a node's task
// may not be scheduled or started yet, an old task may still be
// registered, or the name may still point at a task of a host that is
// gone (a lost host's DNS records outlive it for a while, so a node moved
// by `swarm evacuate` may first resolve to its old address only).
func (s Shape) Members(ctx context.Context, lookup Lookup) ([]form.Member, error) {
	plan := s.Plan()
	out := make([]form.Member, len(plan.Nodes))
	for i, n := range plan.Nodes {
		ip, err := resolveAnswering(ctx, lookup, s.Host(n.Port), n.Port)
		if err != nil {
			return nil, err
		}
		n.IP, n.Name = ip, s.Host(n.Port)
		out[i] = form.Member{Node: n, Admin: net.JoinHostPort(ip.String(), strconv.Itoa(n.Port)), PeerIP: ip.String()}
	}
	return out, nil
}

// resolveAnswering polls host until exactly one of the addresses it
// resolves to accepts a connection on port (a stale record beside the
// live one is passed over; two live ones are waited out).
func resolveAnswering(ctx context.Context, lookup Lookup, host string, port int) (netip.Addr, error) {
	var last error
	for {
		addrs, err := lookup(ctx, host)
		var live []netip.Addr
		for _, ip := range addrs {
			addr := net.JoinHostPort(ip.Unmap().String(), strconv.Itoa(port))
			d := net.Dialer{Timeout: 2 * time.Second}
			conn, derr := d.DialContext(ctx, "tcp", addr)
			if derr != nil {
				last = fmt.Errorf("%s resolves to %s, which does not answer: %w", host, addr, derr)
				continue
			}
			conn.Close()
			live = append(live, ip.Unmap())
		}
		switch {
		case err != nil:
			last = err
		case len(live) == 1:
			return live[0], nil
		case len(live) > 1:
			last = fmt.Errorf("%s resolves to %d addresses that answer: %v", host, len(live), live)
		case len(addrs) == 0:
			last = fmt.Errorf("%s resolves to no address", host)
		}
		select {
		case <-ctx.Done():
			return netip.Addr{}, fmt.Errorf("node %s did not resolve to one address that answers in time: %w", host, last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Resolve is Members for a check: every name is resolved at once, and
// the names that do not resolve to one address before ctx ends (a node
// whose host is away has no task) are returned as missing instead of
// failing the rest.
func (s Shape) Resolve(ctx context.Context, lookup Lookup) (members []form.Member, missing []string) {
	plan := s.Plan()
	got := make([]*form.Member, len(plan.Nodes))
	var wg sync.WaitGroup
	for i, n := range plan.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ip, err := ResolveOne(ctx, lookup, s.Host(n.Port)); err == nil {
				n.IP, n.Name = ip, s.Host(n.Port)
				got[i] = &form.Member{Node: n, Admin: net.JoinHostPort(ip.String(), strconv.Itoa(n.Port)), PeerIP: ip.String()}
			}
		}()
	}
	wg.Wait()
	for i, m := range got {
		if m == nil {
			missing = append(missing, s.Host(plan.Nodes[i].Port))
			continue
		}
		members = append(members, *m)
	}
	return members, missing
}

// ResolveOne polls host until it resolves to exactly one address.
func ResolveOne(ctx context.Context, lookup Lookup, host string) (netip.Addr, error) {
	var last error
	for {
		addrs, err := lookup(ctx, host)
		switch {
		case err == nil && len(addrs) == 1:
			return addrs[0].Unmap(), nil
		case err == nil:
			last = fmt.Errorf("%s resolves to %d addresses %v", host, len(addrs), addrs)
		default:
			last = err
		}
		select {
		case <-ctx.Done():
			return netip.Addr{}, fmt.Errorf("node %s did not resolve to one address in time: %w", host, last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Cluster describes resolved members to the bootstrap package.
func Cluster(s Shape, members []form.Member, password string, wait time.Duration, log *status.Logger) *form.Cluster {
	return &form.Cluster{Name: s.Name, Members: members, User: s.User, Password: password, TLS: s.TLS, Wait: wait, Log: log}
}
