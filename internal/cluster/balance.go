package cluster

import (
	"sort"

	"github.com/redis-dock/redis-dock/internal/topology"
)

// slotMove is one slot to move from one master to another (node IDs).
type slotMove struct {
	Slot     int
	From, To string
}

// shares returns how many slots each of the masters should own: an even
// split, the extra slots going to those that own the most already, so
// that as few slots as possible move.
func shares(owners *[topology.SlotCount]string, masters []string) map[string]int {
	count := slotCounts(owners)
	order := append([]string(nil), masters...)
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	out := make(map[string]int, len(masters))
	for i, id := range order {
		out[id] = topology.SlotCount / len(masters)
		if i < topology.SlotCount%len(masters) {
			out[id]++
		}
	}
	return out
}

func slotCounts(owners *[topology.SlotCount]string) map[string]int {
	count := map[string]int{}
	for _, id := range owners {
		if id != "" {
			count[id]++
		}
	}
	return count
}

// planBalance plans the moves after which exactly the given masters own
// slots, each its even share (within one slot). Nodes that are not in
// masters give all their slots; masters over their share give their
// highest slots. Receivers are filled in order with runs of slots, so a
// receiver gets few, long ranges. Unowned slots are left alone.
func planBalance(owners [topology.SlotCount]string, masters []string) []slotMove {
	if len(masters) == 0 {
		return nil
	}
	share := shares(&owners, masters)
	count := slotCounts(&owners)
	give := givers(&owners, share, count)
	var moves []slotMove
	next := 0
	for _, to := range masters {
		for need := share[to] - count[to]; need > 0 && next < len(give); need-- {
			moves = append(moves, slotMove{Slot: give[next].Slot, From: give[next].From, To: to})
			next++
		}
	}
	return moves
}

// givers lists the slots that must leave their owner, owner by owner.
func givers(owners *[topology.SlotCount]string, share, count map[string]int) []slotMove {
	bySource := map[string][]int{}
	var sources []string
	for s, id := range owners {
		if id == "" {
			continue
		}
		if _, ok := bySource[id]; !ok {
			sources = append(sources, id)
		}
		bySource[id] = append(bySource[id], s)
	}
	var out []slotMove
	for _, id := range sources {
		slots := bySource[id]
		keep := 0
		if want, ok := share[id]; ok {
			keep = min(want, count[id])
		}
		for _, s := range slots[keep:] {
			out = append(out, slotMove{Slot: s, From: id})
		}
	}
	return out
}

// nodeRole is one node as role planning sees it, by container index.
type nodeRole struct {
	Index   int
	Master  bool // a master now (new nodes start as empty masters)
	Slots   int
	Follows int // index of the master a replica follows, -1 if none known
}

// rolePlan says which nodes end up masters and what must happen first.
type rolePlan struct {
	Masters []int // indexes of the final masters, in order of choice
	Promote []int // replicas to fail over: they take their master's slots
	Reset   []int // replicas to turn into empty masters
}

// planRoles chooses want masters among the nodes with index < keep
// (nodes at keep and above are removed): masters that own slots first,
// then replicas of removed masters (a failover moves no data), then
// empty masters, then, as a last resort, replicas reset to empty masters.
func planRoles(nodes []nodeRole, keep, want int) rolePlan {
	sorted := append([]nodeRole(nil), nodes...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Index < sorted[j].Index })
	var p rolePlan
	chosen := map[int]bool{}
	take := func(n nodeRole) {
		if len(p.Masters) < want && !chosen[n.Index] {
			chosen[n.Index] = true
			p.Masters = append(p.Masters, n.Index)
		}
	}
	slots := map[int]int{}
	for _, n := range sorted {
		slots[n.Index] = n.Slots
	}
	promoted := map[int]bool{}
	for _, pass := range []func(n nodeRole) bool{
		func(n nodeRole) bool { return n.Master && n.Slots > 0 },
		func(n nodeRole) bool {
			ok := !n.Master && n.Follows >= keep && slots[n.Follows] > 0 && !promoted[n.Follows] && len(p.Masters) < want
			if ok {
				promoted[n.Follows] = true
				p.Promote = append(p.Promote, n.Index)
			}
			return ok
		},
		func(n nodeRole) bool { return n.Master && n.Slots == 0 },
		func(n nodeRole) bool {
			ok := !n.Master && !chosen[n.Index] && len(p.Masters) < want
			if ok {
				p.Reset = append(p.Reset, n.Index)
			}
			return ok
		},
	} {
		for _, n := range sorted {
			if n.Index < keep && !chosen[n.Index] && pass(n) {
				take(n)
			}
		}
	}
	return p
}
