package nodeagent

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/status"
)

// Announcer tells the other nodes this node's new address. A node that
// comes back with the same ID (its volume kept nodes.conf) but another
// address is still known at the old one: Redis learns a known node's new
// address only from a handshake, so each peer that is stale MEETs it.
type Announcer struct {
	Self     netip.Addr // this task's address, as announced
	Port     int
	BusPort  int
	Peers    []Endpoint // the other nodes
	User     string     // "": the default user
	Password string
	TLS      *redisx.TLS // nil: plain TCP
	Lookup   Lookup
	Log      *status.Logger
}

// Run waits for the local server, then repeats a round over the peers
// until every reachable peer knows this node at Self, or ctx ends. A
// fresh node (in no cluster yet) is left to the bootstrap.
func (a *Announcer) Run(ctx context.Context) error {
	local := redisx.Dial(net.JoinHostPort(a.Self.String(), strconv.Itoa(a.Port)), redisx.Auth{User: a.User, Password: a.Password, TLS: a.TLS})
	defer local.Close()
	if err := local.WaitPing(ctx, 100*time.Millisecond); err != nil {
		return err
	}
	nodes, err := local.Nodes(ctx)
	if err != nil {
		return err
	}
	me, _ := redisx.Myself(nodes)
	if len(nodes) == 1 && me.SlotCount() == 0 {
		a.Log.Infof("announce: node %s is in no cluster yet; the bootstrap forms it", me.ID)
		return nil
	}
	pending := a.Peers
	for {
		pending = a.round(ctx, me.ID, pending)
		if len(pending) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("announce: peers %v not reached in time", pending)
		case <-time.After(time.Second):
		}
	}
}

// round checks every pending peer once and returns those to try again.
func (a *Announcer) round(ctx context.Context, id string, pending []Endpoint) []Endpoint {
	var again []Endpoint
	for _, p := range pending {
		if err := a.tell(ctx, id, p); err != nil {
			a.Log.V(1, "announce: %s: %v", p.Host, err)
			again = append(again, p)
		}
	}
	return again
}

// tell MEETs this node from peer p when p knows it elsewhere.
func (a *Announcer) tell(ctx context.Context, id string, p Endpoint) error {
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	addrs, err := a.Lookup(rctx, p.Host)
	if err != nil || len(addrs) != 1 {
		return fmt.Errorf("resolves to %v (%v)", addrs, err)
	}
	peer := redisx.Dial(net.JoinHostPort(addrs[0].String(), strconv.Itoa(p.Port)), redisx.Auth{User: a.User, Password: a.Password, TLS: a.TLS})
	defer peer.Close()
	nodes, err := peer.Nodes(rctx)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		if n.ID != id {
			continue
		}
		if n.IP == a.Self.String() && n.Port == a.Port && !n.Has("noaddr") {
			return nil
		}
		a.Log.Infof("announce: %s knows this node at %s:%d; asking it to MEET %s:%d", p.Host, n.IP, n.Port, a.Self, a.Port)
		if err := peer.MeetAll(rctx, []redisx.Peer{{IP: a.Self.String(), Port: a.Port, BusPort: a.BusPort}}); err != nil {
			return err
		}
		return fmt.Errorf("sent MEET, checking again")
	}
	return nil // the peer does not know this node: the bootstrap's business
}
