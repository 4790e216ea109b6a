package form

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
)

// pingPeriod is the setting nudger lowers for a moment.
const pingPeriod = "repl-ping-replica-period"

// nudger gets replicas into every node's CLUSTER SLOTS in about a second
// instead of ten, leaving no key and no setting behind.
//
// Redis leaves out of CLUSTER SLOTS a replica whose replication offset is
// 0, and on an idle, empty master the offset moves only when the master
// PINGs its replicas, every repl-ping-replica-period (10 s). So while a
// linked replica still has offset 0, its master's period is lowered to
// 1 s (the PING is what Redis sends anyway) and set back as soon as
// every replica of it has moved. Other nodes learn a replica's offset
// only from packets it sends them, every node-timeout/2 at worst, so a
// replica that moved but is still missing somewhere MEETs its peers
// again: the MEET carries its offset, and the handshake with a node it
// already knows ends at once.
type nudger struct {
	mu     sync.Mutex        // forming raises from many goroutines
	raised map[int]string    // master index -> its own ping period
	met    map[int]time.Time // replica index -> last MEET round
}

func newNudger() *nudger { return &nudger{raised: map[int]string{}, met: map[int]time.Time{}} }

// nudge acts on one check's views; errors are left to the next check.
func (nd *nudger) nudge(ctx context.Context, ns []*redisx.Node, views []nodeView) {
	index := map[string]int{}
	for i, v := range views {
		if v.err == nil {
			index[v.myself().ID] = i
		}
	}
	replicated, unmoved := map[int]bool{}, map[int]bool{} // masters with replicas; with one not linked and moved yet
	for i, v := range views {
		me := v.myself()
		if v.err != nil || me.IsMaster() {
			continue
		}
		m, ok := index[me.MasterID]
		if !ok {
			continue
		}
		moved := v.repl["master_link_status"] == "up" && v.repl["slave_repl_offset"] != "0"
		replicated[m] = true
		if !moved {
			unmoved[m] = true
		}
		switch {
		case v.repl["master_link_status"] != "up":
		case !moved:
			nd.raise(ctx, m, ns[m])
		case missingSomewhere(views, me.ID, me.MasterID) && time.Since(nd.met[i]) > time.Second:
			nd.met[i] = time.Now()
			_ = ns[i].MeetAll(ctx, peersOf(v.nodes))
		}
	}
	for m, period := range nd.lowered() {
		if replicated[m] && !unmoved[m] && setPeriod(ctx, ns[m], period) == nil {
			nd.mu.Lock()
			delete(nd.raised, m)
			nd.mu.Unlock()
		}
	}
}

// lowered returns a copy of the masters whose period is lowered.
func (nd *nudger) lowered() map[int]string {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	return maps.Clone(nd.raised)
}

func (nd *nudger) raise(ctx context.Context, m int, n *redisx.Node) {
	if _, ok := nd.lowered()[m]; ok {
		return
	}
	v, err := n.Command(ctx, "CONFIG", "GET", pingPeriod)
	kv, ok := v.([]any)
	if err != nil || !ok || len(kv) != 2 {
		return
	}
	old, ok := kv[1].(string)
	if !ok || old == "1" {
		return
	}
	if setPeriod(ctx, n, "1") == nil {
		nd.mu.Lock()
		nd.raised[m] = old
		nd.mu.Unlock()
	}
}

// restore sets back every period still lowered, even after ctx ended.
func (nd *nudger) restore(ns []*redisx.Node) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for m, period := range nd.lowered() {
		_ = setPeriod(ctx, ns[m], period)
	}
}

func setPeriod(ctx context.Context, n *redisx.Node, period string) error {
	_, err := n.Command(ctx, "CONFIG", "SET", pingPeriod, period)
	return err
}

// missingSomewhere reports whether some node takes replica id for
// anything but a replica of master, or hands out master in CLUSTER SLOTS
// without it: a packet from the replica (its MEET) fixes both at once.
func missingSomewhere(views []nodeView, id, master string) bool {
	for _, v := range views {
		if v.err != nil {
			continue
		}
		for _, cn := range v.nodes {
			if cn.ID == id && cn.MasterID != master {
				return true
			}
		}
		if !listsReplica(v.slots, master, id) {
			return true
		}
	}
	return false
}

func listsReplica(slots []redisx.SlotRange, master, id string) bool {
	served := false
	for _, r := range slots {
		if r.Master.ID != master {
			continue
		}
		served = true
		for _, sn := range r.Replicas {
			if sn.ID == id {
				return true
			}
		}
	}
	return !served // a master without slots is not handed out at all
}

// peersOf lists the nodes a node knows, at the bus addresses it uses.
func peersOf(nodes []redisx.ClusterNode) []redisx.Peer {
	var out []redisx.Peer
	for _, cn := range nodes {
		if cn.Has("myself") || cn.Has("handshake") || cn.Has("noaddr") || cn.Failing() || cn.IP == "" {
			continue
		}
		out = append(out, redisx.Peer{IP: cn.IP, Port: cn.Port, BusPort: cn.BusPort})
	}
	return out
}
