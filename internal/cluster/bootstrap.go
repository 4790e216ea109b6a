package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// pollInterval is how often readiness and health are polled: fast, since
// every tick saved is a tick off `up`.
const pollInterval = 20 * time.Millisecond

// conns dials every planned node from the host.
func (u *upRun) conns() []*redisx.Node {
	out := make([]*redisx.Node, len(u.plan.Nodes))
	for i, n := range u.plan.Nodes {
		out[i] = redisx.Dial(AdminAddr(u.spec, n.Port), u.spec.Password)
	}
	return out
}

func closeAll(ns []*redisx.Node) {
	for _, n := range ns {
		n.Close()
	}
}

// each runs f for every node concurrently and returns the first error.
func each(ctx context.Context, ns []*redisx.Node, f func(context.Context, int, *redisx.Node) error) error {
	g, gctx := errgroup.WithContext(ctx)
	for i, n := range ns {
		g.Go(func() error { return f(gctx, i, n) })
	}
	return g.Wait()
}

// bootstrap forms the cluster: wait for PING, check the nodes are fresh
// (or already this cluster), set epochs, assign slots, MEET, REPLICATE,
// and wait for health, all within --wait.
func (u *upRun) bootstrap(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, u.spec.Wait)
	defer cancel()
	ns := u.conns()
	defer closeAll(ns)
	st := u.log.Start("Waiting for %d nodes to answer", len(ns))
	if err := each(ctx, ns, func(ctx context.Context, _ int, n *redisx.Node) error { return n.WaitPing(ctx, pollInterval) }); err != nil {
		st.End(false)
		return err
	}
	st.End(true)
	formed, err := u.inspectNodes(ctx, ns)
	if err != nil {
		return err
	}
	if !formed {
		if err := u.form(ctx, ns); err != nil {
			return err
		}
	}
	return u.waitHealthy(ctx, ns)
}

// inspectNodes refuses nodes holding data or knowing strangers, and
// reports whether the cluster is already formed (a restart from volumes).
func (u *upRun) inspectNodes(ctx context.Context, ns []*redisx.Node) (formed bool, err error) {
	known := map[string]bool{}
	for _, n := range u.plan.Nodes {
		known[fmt.Sprintf("%s:%d", u.peerAddr(n), n.Port)] = true
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
		if len(nodes) == 1 && len(nodes[0].Slots) == 0 {
			if keys > 0 {
				return false, fmt.Errorf("node %s holds %d keys but is in no cluster; refusing to add it (remove its volume with `redis-dock down --volumes`)", u.plan.Nodes[i].Name, keys)
			}
			fresh++
			continue
		}
		for _, cn := range nodes {
			if !known[fmt.Sprintf("%s:%d", cn.IP, cn.Port)] && !cn.Has("myself") && !cn.Has("noaddr") {
				return false, fmt.Errorf("node %s knows %s:%d, which is not part of cluster %q; refusing to join foreign clusters", u.plan.Nodes[i].Name, cn.IP, cn.Port, u.spec.Name)
			}
		}
	}
	return fresh == 0, nil
}

// form assigns epochs and slots first, so the very first handshake after
// MEET already carries every node's slots, then meets all pairs at once
// and sets up replicas once everyone knows everyone.
func (u *upRun) form(ctx context.Context, ns []*redisx.Node) error {
	st := u.log.Start("Forming cluster (%d masters, %d replicas)", len(u.plan.Masters()), len(u.plan.Replicas()))
	defer st.End(false)
	err := each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		return u.prepareNode(ctx, i, n)
	})
	if err != nil {
		return err
	}
	if err := u.meet(ctx, ns); err != nil {
		return err
	}
	ids, err := u.waitAllKnown(ctx, ns)
	if err != nil {
		return err
	}
	err = each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		p := u.plan.Nodes[i]
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

func (u *upRun) prepareNode(ctx context.Context, i int, n *redisx.Node) error {
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
	p := u.plan.Nodes[i]
	if p.Role != topology.RoleMaster || me.SlotCount() > 0 || len(nodes) > 1 {
		return nil
	}
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
func (u *upRun) meet(ctx context.Context, ns []*redisx.Node) error {
	return each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		return n.MeetAll(ctx, meetPeers(u.plan, i, u.peerAddr))
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
func (u *upRun) waitAllKnown(ctx context.Context, ns []*redisx.Node) ([]string, error) {
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
				pending = fmt.Sprintf("%s %s", u.plan.Nodes[i].Name, why)
			}
		}
		if pending == "" {
			return ids, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("nodes did not all meet within --wait %s: %s", u.spec.Wait, pending)
		case <-time.After(pollInterval):
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

var _ = strings.Join
