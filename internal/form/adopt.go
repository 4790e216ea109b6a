package form

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// coverSlots gives each fresh member planned as a master its planned
// slots when no node serves any of them (its master and replicas were all
// lost), before it MEETs the others, as form does.
func (c *Cluster) coverSlots(ctx context.Context, ns []*redisx.Node, vs []view) error {
	owned := make([]bool, topology.SlotCount)
	for _, v := range vs {
		for _, n := range v.nodes {
			for _, r := range n.Slots {
				for s := r[0]; s <= r[1]; s++ {
					owned[s] = true
				}
			}
		}
	}
	plan := c.plan()
	return Each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		p := plan.Nodes[i]
		if !vs[i].fresh() || p.Role != topology.RoleMaster || anyOwned(owned, p.Slots) {
			return nil
		}
		c.log().V(1, "   %s takes its planned slots, which no node serves", c.nodeLabel(i))
		ranges := make([][2]int, len(p.Slots))
		for j, r := range p.Slots {
			ranges[j] = [2]int{r.Start, r.End}
		}
		return n.AddSlotsRange(ctx, ranges)
	})
}

func anyOwned(owned []bool, ranges []topology.SlotRange) bool {
	for _, r := range ranges {
		for s := r.Start; s <= r.End; s++ {
			if owned[s] {
				return true
			}
		}
	}
	return false
}

// adopt makes every member that serves nothing follow a master: empty
// masters (a node that lost its data, or a fresh one) and replicas whose
// master is gone. It prefers the planned group's master, else the master
// with the fewest replicas (both topology's policy).
func (c *Cluster) adopt(ctx context.Context, ns []*redisx.Node, vs []view, ids []string) error {
	serving := map[string]int{} // master ID -> replicas
	for _, v := range vs {
		if v.me.IsMaster() && v.me.SlotCount() > 0 {
			serving[v.me.ID] += 0
		}
	}
	for _, v := range vs {
		if _, ok := serving[v.me.MasterID]; ok && !v.me.IsMaster() {
			serving[v.me.MasterID]++
		}
	}
	plan := c.plan()
	for i, v := range vs {
		_, followsServing := serving[v.me.MasterID]
		if (v.me.IsMaster() && v.me.SlotCount() > 0) || (!v.me.IsMaster() && followsServing) {
			continue
		}
		target := groupMaster(plan, i, serving, ids)
		if target == "" {
			target = topology.FewestReplicas(servingIn(serving, ids), serving)
		}
		if target == "" {
			return fmt.Errorf("no master serves slots for %s to replicate", c.nodeLabel(i))
		}
		c.log().V(1, "   %s replicates %s", c.nodeLabel(i), target)
		if err := ns[i].Replicate(ctx, target); err != nil {
			return err
		}
		serving[target]++
	}
	return nil
}

// groupMaster is the serving master of i's planned group (topology's
// Plan.GroupMaster), by ID; "" when the group serves nothing.
func groupMaster(plan topology.Plan, i int, serving map[string]int, ids []string) string {
	j := plan.GroupMaster(i, func(j int) bool {
		_, ok := serving[ids[j]]
		return ok
	})
	if j < 0 {
		return ""
	}
	return ids[j]
}

// servingIn are the serving masters, in member order.
func servingIn(serving map[string]int, ids []string) []string {
	var out []string
	for _, id := range ids {
		if _, ok := serving[id]; ok {
			out = append(out, id)
		}
	}
	return out
}

// forgetGhosts has every member forget the nodes that are no member (a
// node that came back with a new ID after losing its volume) once no
// member reaches them any more, all at once, since a node forgotten by
// some is re-learned from the others' gossip within a minute.
func (c *Cluster) forgetGhosts(ctx context.Context, ns []*redisx.Node, ids []string) error {
	member := map[string]bool{}
	for _, id := range ids {
		member[id] = true
	}
	for {
		vs, err := c.views(ctx, ns)
		if err != nil {
			return err
		}
		ghosts, alive := strangers(vs, member)
		if len(alive) == 0 {
			return c.forgetAll(ctx, ns, ghosts)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("nodes %v are no member of cluster %q but still reachable; refusing to forget them", alive, c.Name)
		case <-time.After(PollInterval):
		}
	}
}

// strangers sorts the nodes that are no member into those no member
// reaches (ghosts) and those some member still talks to.
func strangers(vs []view, member map[string]bool) (ghosts, alive []string) {
	state := map[string]bool{} // ID -> reachable by some member
	for _, v := range vs {
		for _, n := range v.nodes {
			if member[n.ID] {
				continue
			}
			reach := n.Connected && !n.Failing() && !n.Has("noaddr")
			state[n.ID] = state[n.ID] || reach
		}
	}
	for id, reach := range state {
		if reach {
			alive = append(alive, id)
		} else {
			ghosts = append(ghosts, id)
		}
	}
	sort.Strings(ghosts)
	sort.Strings(alive)
	return ghosts, alive
}

func (c *Cluster) forgetAll(ctx context.Context, ns []*redisx.Node, ghosts []string) error {
	if len(ghosts) == 0 {
		return nil
	}
	return Each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		for _, id := range ghosts {
			c.log().V(1, "   %s forgets %s", c.nodeLabel(i), id)
			if err := forget(ctx, n, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// forget sends CLUSTER FORGET; a node already unknown counts as forgotten.
func forget(ctx context.Context, n *redisx.Node, id string) error {
	_, err := n.Command(ctx, "CLUSTER", "FORGET", id)
	if err != nil && !strings.Contains(err.Error(), "Unknown node") {
		return fmt.Errorf("CLUSTER FORGET %s on %s: %w", id, n.Addr, err)
	}
	return nil
}
