// Package form forms a Redis Cluster out of running, reachable nodes
// and waits for it to be healthy. It needs only go-redis (through redisx),
// so the in-image redis-dock (no Docker SDK) uses it as well as `up`.
// Whom a node that serves nothing follows is topology's policy.
package form

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// PollInterval is how often readiness and health are polled: fast, since
// every tick saved is a tick off `up`.
const PollInterval = 20 * time.Millisecond

// Member is one planned node and how to reach it.
type Member struct {
	topology.Node
	Admin  string // host:port the bootstrapper dials
	PeerIP string // address other nodes MEET it at
}

// Cluster is what Run needs: the members in plan order (masters first).
type Cluster struct {
	Name     string
	Members  []Member
	User     string // "": Redis's default user
	Password string
	TLS      *redisx.TLS   // nil: the nodes speak plain TCP
	Wait     time.Duration // overall deadline
	Log      *status.Logger
	// Gone, when set, is asked every GoneInterval while Run waits whether
	// a member has died (its container exited): a non-nil answer ends Run
	// at once with that error instead of at the end of Wait.
	Gone func(context.Context) error

	nudgeOnce sync.Once
	nudge     *nudger // shared by forming and WaitHealthy
}

// nudger is the cluster's one nudger: forming lowers a new master's ping
// period early (its replicas' offsets then move as soon as they link, in
// the shadow of Redis's 2 s writable delay) and WaitHealthy sets it back.
func (c *Cluster) nudger() *nudger {
	c.nudgeOnce.Do(func() { c.nudge = newNudger() })
	return c.nudge
}

func (c *Cluster) log() *status.Logger {
	if c.Log == nil {
		return status.Discard()
	}
	return c.Log
}

func (c *Cluster) plan() topology.Plan {
	p := topology.Plan{Nodes: make([]topology.Node, len(c.Members))}
	for i, m := range c.Members {
		p.Nodes[i] = m.Node
	}
	return p
}

// Names lists the members' names, for health reports.
func (c *Cluster) Names() []string {
	out := make([]string, len(c.Members))
	for i, m := range c.Members {
		out[i] = m.Name
	}
	return out
}

// Dial connects to every member.
func (c *Cluster) Dial() []*redisx.Node {
	out := make([]*redisx.Node, len(c.Members))
	for i, m := range c.Members {
		out[i] = redisx.Dial(m.Admin, redisx.Auth{User: c.User, Password: c.Password, TLS: c.TLS})
	}
	return out
}

// CloseAll closes every connection.
func CloseAll(ns []*redisx.Node) {
	for _, n := range ns {
		n.Close()
	}
}

// Each runs f for every node concurrently and returns the first error.
func Each(ctx context.Context, ns []*redisx.Node, f func(context.Context, int, *redisx.Node) error) error {
	g, gctx := errgroup.WithContext(ctx)
	for i, n := range ns {
		g.Go(func() error { return f(gctx, i, n) })
	}
	return g.Wait()
}

// Run forms the cluster: wait for PING, check the nodes are fresh (or
// already this cluster), set epochs, assign slots, MEET, REPLICATE, and
// wait for health, all within Wait.
func (c *Cluster) Run(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.Wait)
	defer cancel()
	ctx, stop := c.watchGone(ctx)
	defer stop()
	err := c.run(ctx)
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, errGone) {
		return cause
	}
	return err
}

// GoneInterval is how often Run asks Gone.
const GoneInterval = 500 * time.Millisecond

var errGone = errors.New("a member died")

// goneError is Gone's answer, marked as such.
type goneError struct{ error }

func (g goneError) Unwrap() error      { return g.error }
func (goneError) Is(target error) bool { return target == errGone }

// watchGone cancels ctx, with Gone's error as the cause, as soon as Gone
// reports a dead member.
func (c *Cluster) watchGone(ctx context.Context) (context.Context, func()) {
	if c.Gone == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(GoneInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if err := c.Gone(ctx); err != nil {
					cancel(goneError{err})
					return
				}
			}
		}
	}()
	return ctx, func() { close(done); cancel(nil) }
}

func (c *Cluster) run(ctx context.Context) error {
	ns := c.Dial()
	defer CloseAll(ns)
	st := c.log().Start("Waiting for %d nodes to answer", len(ns))
	if err := Each(ctx, ns, func(ctx context.Context, _ int, n *redisx.Node) error { return n.WaitPing(ctx, PollInterval) }); err != nil {
		st.End(false)
		return err
	}
	st.End(true)
	formed, err := c.inspect(ctx, ns)
	if err != nil {
		return err
	}
	if !formed {
		if err := c.form(ctx, ns); err != nil {
			return err
		}
	}
	return c.WaitHealthy(ctx, ns)
}

// inspectNodes refuses nodes holding data or knowing strangers, and
// reports whether the cluster is already formed (a restart from volumes).
func (c *Cluster) inspect(ctx context.Context, ns []*redisx.Node) (formed bool, err error) {
	known := map[string]bool{}
	for _, n := range c.plan().Nodes {
		known[fmt.Sprintf("%s:%d", c.peerAddr(n), n.Port)] = true
	}
	fresh := 0
	for i, n := range ns {
		nodes, err := n.Nodes(ctx)
		if err != nil {
			return false, err
		}
		keys, err := n.DBSize(ctx)
		if err != nil {
			return false, fmt.Errorf("DBSIZE on %s: %w", n.Addr, err)
		}
		if len(nodes) == 1 { // alone, in no cluster yet (Claim may have given it its slots)
			if keys > 0 {
				return false, fmt.Errorf("node %s holds %d keys but is in no cluster; refusing to add it (remove its volume with `redis-dock down --volumes`)", c.plan().Nodes[i].Name, keys)
			}
			fresh++
			continue
		}
		for _, cn := range nodes {
			if !known[fmt.Sprintf("%s:%d", cn.IP, cn.Port)] && !cn.Has("myself") && !cn.Has("noaddr") {
				return false, fmt.Errorf("node %s knows %s:%d, which is not part of cluster %q; refusing to join foreign clusters", c.plan().Nodes[i].Name, cn.IP, cn.Port, c.Name)
			}
		}
	}
	return fresh == 0, nil
}

// form assigns epochs and slots first, so the very first handshake after
// MEET already carries every node's slots, then meets all pairs at once
// and sets up replicas once everyone knows everyone.
func (c *Cluster) form(ctx context.Context, ns []*redisx.Node) error {
	st := c.log().Start("Forming cluster (%d masters, %d replicas)", len(c.plan().Masters()), len(c.plan().Replicas()))
	defer st.End(false)
	err := Each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		return c.prepareNode(ctx, i, n)
	})
	if err != nil {
		return err
	}
	if err := c.meet(ctx, ns); err != nil {
		return err
	}
	ids, err := c.waitAllKnown(ctx, ns)
	if err != nil {
		return err
	}
	err = Each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		p := c.plan().Nodes[i]
		if p.Role != topology.RoleReplica {
			return nil
		}
		return n.Replicate(ctx, ids[p.Master])
	})
	if err != nil {
		return err
	}
	st.End(true)
	return nil
}

func (c *Cluster) prepareNode(ctx context.Context, i int, n *redisx.Node) error {
	nodes, err := n.Nodes(ctx)
	if err != nil {
		return err
	}
	me, _ := redisx.Myself(nodes)
	if len(nodes) == 1 && me.ConfigEpoch == 0 {
		if err := n.SetConfigEpoch(ctx, i+1); err != nil {
			return err
		}
	}
	p := c.plan().Nodes[i]
	if p.Role != topology.RoleMaster || me.SlotCount() > 0 || len(nodes) > 1 {
		return nil
	}
	c.nudger().raise(ctx, i, n)
	ranges := make([][2]int, len(p.Slots))
	for j, r := range p.Slots {
		ranges[j] = [2]int{r.Start, r.End}
	}
	return n.AddSlotsRange(ctx, ranges)
}

// meet connects all nodes in one round. In a handshake only the node
// that sent MEET learns the other's slots at once (the other learns them
// on a later ping, up to node-timeout/2 away), so every node MEETs every
// master, and replicas MEET the replicas after them.
func (c *Cluster) meet(ctx context.Context, ns []*redisx.Node) error {
	return Each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		return n.MeetAll(ctx, meetPeers(c.plan(), i, c.peerAddr))
	})
}

func meetPeers(plan topology.Plan, i int, addr func(topology.Node) string) []redisx.Peer {
	var peers []redisx.Peer
	me := plan.Nodes[i]
	for j, p := range plan.Nodes {
		if j == i || (p.Role != topology.RoleMaster && (me.Role == topology.RoleMaster || j < i)) {
			continue
		}
		peers = append(peers, redisx.Peer{IP: addr(p), Port: p.Port, BusPort: p.BusPort})
	}
	return peers
}

// waitAllKnown polls until every node knows all others (no handshake),
// and returns the node IDs by plan index.
func (c *Cluster) waitAllKnown(ctx context.Context, ns []*redisx.Node) ([]string, error) {
	ids := make([]string, len(ns))
	for {
		pending := ""
		for i, n := range ns {
			nodes, err := n.Nodes(ctx)
			if err != nil {
				return nil, err
			}
			me, _ := redisx.Myself(nodes)
			ids[i] = me.ID
			if ok, why := allKnown(nodes, len(ns)); !ok && pending == "" {
				pending = fmt.Sprintf("%s %s", c.plan().Nodes[i].Name, why)
			}
		}
		if pending == "" {
			return ids, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("nodes did not all meet within --wait %s: %s", c.Wait, pending)
		case <-time.After(PollInterval):
		}
	}
}

func allKnown(nodes []redisx.ClusterNode, want int) (bool, string) {
	if len(nodes) < want {
		return false, fmt.Sprintf("knows %d of %d nodes", len(nodes), want)
	}
	for _, n := range nodes {
		if n.Has("handshake") || n.Has("noaddr") {
			return false, fmt.Sprintf("is still in handshake with %s:%d", n.IP, n.Port)
		}
	}
	return true, ""
}

// peerAddr is where other nodes reach member n.
func (c *Cluster) peerAddr(n topology.Node) string { return c.Members[n.Index].PeerIP }
