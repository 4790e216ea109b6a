package form

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
)

// view is what one member says about the cluster.
type view struct {
	nodes []redisx.ClusterNode
	me    redisx.ClusterNode
	keys  int64
}

// fresh reports a node in no cluster: it knows only itself, serves no slot.
func (v view) fresh() bool { return len(v.nodes) == 1 && v.me.SlotCount() == 0 }

// find returns the node with id as this member sees it.
func (v view) find(id string) (redisx.ClusterNode, bool) {
	for _, n := range v.nodes {
		if n.ID == id {
			return n, true
		}
	}
	return redisx.ClusterNode{}, false
}

// Converge is Run for members whose addresses may have changed since the
// cluster was formed (Swarm tasks get a new address each time they are
// replaced): it forms the cluster when every member is fresh, and
// otherwise heals it, then waits for health. formed says which.
func (c *Cluster) Converge(ctx context.Context) (formed bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.Wait)
	defer cancel()
	ns := c.Dial()
	defer CloseAll(ns)
	st := c.log().Start("Waiting for %d nodes to answer", len(ns))
	if err := Each(ctx, ns, func(ctx context.Context, _ int, n *redisx.Node) error { return n.WaitPing(ctx, PollInterval) }); err != nil {
		st.End(false)
		return false, err
	}
	st.End(true)
	vs, err := c.views(ctx, ns)
	if err != nil {
		return false, err
	}
	if err := c.refuseData(vs); err != nil {
		return false, err
	}
	if allFresh(vs) {
		if err := c.form(ctx, ns); err != nil {
			return false, err
		}
		return true, c.WaitHealthy(ctx, ns)
	}
	return false, c.healUntilHealthy(ctx, ns, vs)
}

// healRound is how long a heal is given to show in health before the
// cluster is looked at and healed again.
const healRound = 20 * time.Second

// healUntilHealthy heals and waits for health in rounds: a node that
// joined while the others forgot a ghost may still know it, and gives
// it back to them by gossip once their CLUSTER FORGET ban (60 s) ends,
// so the ghost is forgotten again, by every node that knows it now.
func (c *Cluster) healUntilHealthy(ctx context.Context, ns []*redisx.Node, vs []view) error {
	for {
		if err := c.heal(ctx, ns, vs); err != nil {
			return err
		}
		rctx, cancel := context.WithTimeout(ctx, healRound)
		err := c.WaitHealthy(rctx, ns)
		cancel()
		if err == nil || ctx.Err() != nil {
			return err
		}
		if vs, err = c.views(ctx, ns); err != nil {
			return err
		}
	}
}

func (c *Cluster) views(ctx context.Context, ns []*redisx.Node) ([]view, error) {
	vs := make([]view, len(ns))
	err := Each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		nodes, err := n.Nodes(ctx)
		if err != nil {
			return err
		}
		keys, err := n.DBSize(ctx)
		if err != nil {
			return fmt.Errorf("DBSIZE on %s: %w", n.Addr, err)
		}
		me, _ := redisx.Myself(nodes)
		vs[i] = view{nodes: nodes, me: me, keys: keys}
		return nil
	})
	return vs, err
}

func allFresh(vs []view) bool {
	for _, v := range vs {
		if !v.fresh() {
			return false
		}
	}
	return true
}

// refuseData refuses fresh nodes that hold keys: adding them would lose
// or mix data.
func (c *Cluster) refuseData(vs []view) error {
	for i, v := range vs {
		if v.fresh() && v.keys > 0 {
			return fmt.Errorf("node %s holds %d keys but is in no cluster; refusing to add it (remove its volume)", c.Members[i].Name, v.keys)
		}
	}
	return nil
}

// heal brings a formed cluster back together: fresh planned masters get
// the slots nobody serves, every node MEETs the members it does not know
// at their current address, empty masters and orphaned replicas follow a
// master, and failed nodes that are no member any more are forgotten.
func (c *Cluster) heal(ctx context.Context, ns []*redisx.Node, vs []view) error {
	st := c.log().Start("Healing cluster %q", c.Name)
	defer st.End(false)
	if err := c.coverSlots(ctx, ns, vs); err != nil {
		return err
	}
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.me.ID
	}
	if err := c.meetStale(ctx, ns, vs, ids); err != nil {
		return err
	}
	vs, err := c.waitAddresses(ctx, ns, ids)
	if err != nil {
		return err
	}
	if err := c.adopt(ctx, ns, vs, ids); err != nil {
		return err
	}
	return st.Done(c.forgetGhosts(ctx, ns, ids))
}

// stalePeers lists the members that member i does not know at their
// current address.
func (c *Cluster) stalePeers(v view, i int, ids []string) []redisx.Peer {
	var peers []redisx.Peer
	for j, m := range c.Members {
		if j == i {
			continue
		}
		n, ok := v.find(ids[j])
		if ok && n.IP == m.PeerIP && n.Port == m.Port && !n.Has("noaddr") && !n.Has("handshake") {
			continue
		}
		peers = append(peers, redisx.Peer{IP: m.PeerIP, Port: m.Port, BusPort: m.BusPort})
	}
	return peers
}

// meetStale has every member MEET the members it knows at an old address
// (or not at all); the handshake with a known ID updates the address.
func (c *Cluster) meetStale(ctx context.Context, ns []*redisx.Node, vs []view, ids []string) error {
	return Each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		peers := c.stalePeers(vs[i], i, ids)
		for _, p := range peers {
			c.log().V(1, "   %s meets %s:%d", c.Members[i].Name, p.IP, p.Port)
		}
		return n.MeetAll(ctx, peers)
	})
}

// waitAddresses polls until every member knows every other at its current
// address, MEETing again every second for pairs still stale.
func (c *Cluster) waitAddresses(ctx context.Context, ns []*redisx.Node, ids []string) ([]view, error) {
	lastMeet := time.Now()
	for {
		vs, err := c.views(ctx, ns)
		if err != nil {
			return nil, err
		}
		pending := ""
		for i := range vs {
			if peers := c.stalePeers(vs[i], i, ids); len(peers) > 0 && pending == "" {
				pending = fmt.Sprintf("%s does not know %s:%d yet", c.Members[i].Name, peers[0].IP, peers[0].Port)
			}
		}
		if pending == "" {
			return vs, nil
		}
		if time.Since(lastMeet) > time.Second {
			if err := c.meetStale(ctx, ns, vs, ids); err != nil {
				return nil, err
			}
			lastMeet = time.Now()
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("nodes did not all meet within --wait %s: %s", c.Wait, pending)
		case <-time.After(PollInterval):
		}
	}
}

// nodeLabel names a member for log lines.
func (c *Cluster) nodeLabel(i int) string {
	return c.Members[i].Name + " (" + c.Members[i].PeerIP + ":" + strconv.Itoa(c.Members[i].Port) + ")"
}
