// Package topology is pure planning: which node is a master or a replica,
// which ports and addresses it gets, and which slots each master owns. It
// owns the replica-and-placement policy (replicas.go): whom a replica
// follows when a cluster or sentinel group is made, scaled or healed, and
// which host each node runs on. Callers apply its answers.
package topology

import (
	"fmt"
	"math"
	"net/netip"
)

// Roles a node can have.
const (
	RoleMaster   = "master"
	RoleReplica  = "replica"
	RoleSentinel = "sentinel"
)

// SlotCount is the number of hash slots in a Redis Cluster.
const SlotCount = 16384

// Node is one planned redis-server.
type Node struct {
	Index   int
	Name    string // container name: <cluster>-<port>
	Role    string
	Port    int
	BusPort int
	Master  int // index of the master this replica follows, -1 for masters
	IP      netip.Addr
	Slots   []SlotRange
}

// SlotRange is an inclusive range of hash slots.
type SlotRange struct{ Start, End int }

func (r SlotRange) String() string {
	if r.Start == r.End {
		return fmt.Sprint(r.Start)
	}
	return fmt.Sprintf("%d-%d", r.Start, r.End)
}

// Plan is the whole cluster's layout.
type Plan struct {
	Nodes []Node
}

// Params are what planning needs from the spec.
type Params struct {
	Cluster  string
	Masters  int
	Replicas int
	Port     int
	BusPort  int
	Subnet   netip.Prefix // zero for host networking
}

// FirstHost is the offset of the first node address in the subnet; the
// gateway takes .1.
const FirstHost = 10

// New plans masters first (indexes 0..M-1), then replicas, spreading them
// round-robin over the masters so each master gets the same number.
func New(p Params) Plan {
	total := p.Masters * (1 + p.Replicas)
	ranges := SplitSlots(p.Masters)
	nodes := make([]Node, total)
	for i := range nodes {
		n := Node{Index: i, Port: p.Port + i, BusPort: p.BusPort + i, Master: -1, Role: RoleMaster}
		n.Name = fmt.Sprintf("%s-%d", p.Cluster, n.Port)
		if i < p.Masters {
			n.Slots = []SlotRange{ranges[i]}
		} else {
			n.Role = RoleReplica
			n.Master = initialMaster(i, p.Masters)
		}
		if p.Subnet.IsValid() {
			n.IP = HostAddr(p.Subnet, FirstHost+i)
		}
		nodes[i] = n
	}
	return Plan{Nodes: nodes}
}

// HostAddr returns the n-th address of an IPv4 prefix.
func HostAddr(p netip.Prefix, n int) netip.Addr {
	a := p.Masked().Addr().As4()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v += uint32(n)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// SplitSlots divides the 16384 slots over n masters exactly as
// `redis-cli --cluster create` does (0-5460, 5461-10922, 10923-16383 for 3).
func SplitSlots(n int) []SlotRange {
	if n <= 0 {
		return nil
	}
	per := float64(SlotCount) / float64(n)
	out := make([]SlotRange, n)
	first, cursor := 0, 0.0
	for i := 0; i < n; i++ {
		last := int(math.Round(cursor + per - 1))
		if last > SlotCount-1 || i == n-1 {
			last = SlotCount - 1
		}
		if last < first {
			last = first
		}
		out[i] = SlotRange{first, last}
		first = last + 1
		cursor += per
	}
	return out
}

// Masters returns the planned masters.
func (p Plan) Masters() []Node { return p.filter(RoleMaster) }

// Replicas returns the planned replicas.
func (p Plan) Replicas() []Node { return p.filter(RoleReplica) }

func (p Plan) filter(role string) []Node {
	var out []Node
	for _, n := range p.Nodes {
		if n.Role == role {
			out = append(out, n)
		}
	}
	return out
}
