package topology

import (
	"fmt"
	"net/netip"
	"sort"
)

// This file is redis-dock's replica-and-placement policy: which master a
// replica follows when a cluster or group is made, when it is scaled or
// healed, and which host each node runs on. Callers apply the result.

// initialMaster is the master (index) that replica i of a new cluster
// follows: round robin over the masters, so each gets the same number.
func initialMaster(i, masters int) int { return (i - masters) % masters }

// FewestReplicas is the master an orphaned replica should follow: the
// one in masters (IDs, in the caller's order) with the fewest replicas
// by count, the first on a tie; "" when masters is empty.
func FewestReplicas(masters []string, count map[string]int) string {
	best := ""
	for _, m := range masters {
		if best == "" || count[m] < count[best] {
			best = m
		}
	}
	return best
}

// Follower is a node that is or will be a replica: its ID and the master
// it follows now ("" when none).
type Follower struct {
	ID, Master string
}

// SpreadReplicas spreads nodes over the masters as evenly as possible,
// keeping a replica where it is while its master has room, and giving
// each other node the master with room and the fewest replicas. It
// returns the nodes that must (re)replicate and whom to follow.
func SpreadReplicas(masters []string, nodes []Follower) map[string]string {
	if len(masters) == 0 {
		return nil
	}
	isMaster := map[string]bool{}
	for _, m := range masters {
		isMaster[m] = true
	}
	have := map[string]int{}
	for _, n := range nodes {
		if isMaster[n.Master] {
			have[n.Master]++
		}
	}
	capOf := replicaCaps(masters, have, len(nodes))
	count := map[string]int{}
	var move []string
	for _, n := range nodes {
		if isMaster[n.Master] && count[n.Master] < capOf[n.Master] {
			count[n.Master]++
			continue
		}
		move = append(move, n.ID)
	}
	out := map[string]string{}
	for _, id := range move {
		var room []string
		for _, m := range masters {
			if count[m] < capOf[m] {
				room = append(room, m)
			}
		}
		best := FewestReplicas(room, count)
		count[best]++
		out[id] = best
	}
	return out
}

// replicaCaps gives each master total/len replicas, and one more to the
// first total%len masters with the most replicas now.
func replicaCaps(masters []string, have map[string]int, total int) map[string]int {
	order := append([]string(nil), masters...)
	sort.SliceStable(order, func(i, j int) bool { return have[order[i]] > have[order[j]] })
	caps := map[string]int{}
	for i, m := range order {
		caps[m] = total / len(masters)
		if i < total%len(masters) {
			caps[m]++
		}
	}
	return caps
}

// GroupMaster is the serving master of node i's planned group, for a
// node that serves nothing: a replica's planned master, or, for a planned
// master, the replica of its own that took over its slots (so a fresh
// node that replaces a lost master follows its successor, which Hosts
// keeps on another host). It is -1 when the group serves nothing.
func (p Plan) GroupMaster(i int, serving func(j int) bool) int {
	if m := p.Nodes[i].Master; m >= 0 {
		if serving(m) {
			return m
		}
		return -1
	}
	for j, n := range p.Nodes {
		if n.Master == i && serving(j) {
			return j
		}
	}
	return -1
}

// Hosts places the plan's nodes on hosts (Swarm nodes, say) so each
// replica runs on another host than its master: master i on host i, the
// k-th replica of master m on host m+1+k, round robin. It returns each
// node's host index, or nil with fewer than two hosts.
func (p Plan) Hosts(hosts int) []int {
	if hosts < 2 {
		return nil
	}
	out := make([]int, len(p.Nodes))
	rank := map[int]int{} // master -> replicas placed so far
	for i, n := range p.Nodes {
		if n.Master < 0 {
			out[i] = n.Index % hosts
			continue
		}
		out[i] = (n.Master + 1 + rank[n.Master]) % hosts
		rank[n.Master]++
	}
	return out
}

// GroupParams are what planning a sentinel group needs from the spec.
type GroupParams struct {
	Name      string
	Port      int
	Replicas  int
	Sentinels int
	Cascade   bool         // each replica follows the one before it
	Subnet    netip.Prefix // zero for host networking
}

// Group lays out a sentinel group: the master at index 0, then the
// replicas, then the sentinels, node i on port+i. A replica follows the
// master, or with Cascade the replica before it.
func Group(p GroupParams) []Node {
	nodes := make([]Node, 1+p.Replicas+p.Sentinels)
	for i := range nodes {
		n := Node{Index: i, Port: p.Port + i, Role: RoleSentinel, Master: -1}
		n.Name = fmt.Sprintf("%s-%d", p.Name, n.Port)
		switch {
		case i == 0:
			n.Role = RoleMaster
		case i <= p.Replicas:
			n.Role, n.Master = RoleReplica, 0
			if p.Cascade {
				n.Master = i - 1
			}
		}
		if p.Subnet.IsValid() {
			n.IP = HostAddr(p.Subnet, FirstHost+i)
		}
		nodes[i] = n
	}
	return nodes
}
