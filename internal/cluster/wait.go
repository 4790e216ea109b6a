package cluster

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// waitPoll is how often the fault waits look again; each look lists the
// containers and asks every running node.
const waitPoll = 100 * time.Millisecond

// roundTimeout bounds one look at one node: a paused or cut-off node
// must not hold up the verdict on the others.
const roundTimeout = 2 * time.Second

// ProbePrefix starts the keys the waits DEL to prove that a master takes
// writes: a DEL of a missing key changes nothing.
const ProbePrefix = "redis-dock:probe:"

// reachable is a master that answered, as it sees itself.
type reachable struct {
	ct   docker.Container
	self redisx.ClusterNode
	conn *redisx.Node
}

// prober looks at a cluster again and again, keeping one connection per
// node.
type prober struct {
	h     *handle
	o     Options
	conns map[string]*redisx.Node
}

func newProber(ctx context.Context, name string, o Options) (*prober, error) {
	h, err := open(ctx, name, o)
	if err != nil {
		return nil, err
	}
	return &prober{h: h, o: o, conns: map[string]*redisx.Node{}}, nil
}

func (p *prober) close() {
	for _, n := range p.conns {
		n.Close()
	}
}

// masters lists the running node containers that answer now and are
// masters serving slots in their own view.
func (p *prober) masters(ctx context.Context) ([]reachable, error) {
	all, err := p.o.Docker.List(ctx, p.h.spec.Name)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	var out []reachable
	var wg sync.WaitGroup
	for _, c := range docker.Nodes(all) {
		if !c.Running() {
			continue
		}
		n := p.conn(c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rctx, cancel := context.WithTimeout(ctx, roundTimeout)
			defer cancel()
			view, err := n.Nodes(rctx)
			if err != nil {
				return
			}
			if me, _ := redisx.Myself(view); me.IsMaster() && me.SlotCount() > 0 {
				mu.Lock()
				out = append(out, reachable{ct: c, self: me, conn: n})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out, nil
}

func (p *prober) conn(c docker.Container) *redisx.Node {
	if n, ok := p.conns[c.Name]; ok {
		return n
	}
	n := redisx.Dial(AdminAddr(p.h.spec, c.Port), p.h.auth())
	p.conns[c.Name] = n
	return n
}

// handedOut reports a node that answers but whose CLUSTER SLOTS, what a
// client loads its map from, does not give slot to m yet: a client that
// reloads from it would route the slot back to the old master.
func (p *prober) handedOut(ctx context.Context, slot int, m reachable) string {
	all, err := p.o.Docker.List(ctx, p.h.spec.Name)
	if err != nil {
		return err.Error()
	}
	for _, c := range docker.Nodes(all) {
		if !c.Running() {
			continue
		}
		rctx, cancel := context.WithTimeout(ctx, roundTimeout)
		ranges, err := p.conn(c).Slots(rctx)
		cancel()
		if err != nil {
			continue // it does not answer (paused, cut off): no client loads from it
		}
		for _, r := range ranges {
			if r.Start <= slot && slot <= r.End && r.Master.ID != m.self.ID {
				return fmt.Sprintf("CLUSTER SLOTS on %s still gives slot %d to another master than %s", c.Name, slot, m.ct.Name)
			}
		}
	}
	return ""
}

// writable proves that m takes writes for slot: a DEL of a probe key in
// that slot is refused by a replica (MOVED), by a master that does not
// own the slot (MOVED) and by one whose cluster is down (CLUSTERDOWN).
func writable(ctx context.Context, m reachable, slot int) error {
	ctx, cancel := context.WithTimeout(ctx, roundTimeout)
	defer cancel()
	_, err := m.conn.Command(ctx, "DEL", topology.KeyInSlot(ProbePrefix, slot))
	return err
}

// until polls look until it reports nothing ("") or timeout passes; the
// error then carries look's last word.
func until(ctx context.Context, timeout time.Duration, what string, look func(context.Context) (string, error)) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	last := "no look finished"
	for {
		why, err := look(ctx)
		if err != nil {
			return err
		}
		if why == "" {
			return nil
		}
		if ctx.Err() == nil {
			last = why
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s within %s: %s", what, timeout, last)
		case <-time.After(waitPoll):
		}
	}
}

// WaitFailover waits until slot is served by a reachable master other
// than the node with ID from ("" for any), and that master takes writes
// for it. It returns that master.
func WaitFailover(ctx context.Context, name string, slot int, from string, timeout time.Duration, o Options) (FaultNode, error) {
	if slot < 0 || slot >= topology.SlotCount {
		return FaultNode{}, fmt.Errorf("slot %d: want 0-%d", slot, topology.SlotCount-1)
	}
	p, err := newProber(ctx, name, o)
	if err != nil {
		return FaultNode{}, err
	}
	defer p.close()
	var got FaultNode
	err = until(ctx, timeout, fmt.Sprintf("slot %d of cluster %q did not fail over", slot, name), func(ctx context.Context) (string, error) {
		ms, err := p.masters(ctx)
		if err != nil {
			return "", err
		}
		m, why := newMaster(ms, slot, from)
		if why != "" {
			return why, nil
		}
		if err := writable(ctx, m, slot); err != nil {
			return fmt.Sprintf("%s serves slot %d but refuses writes: %v", m.ct.Name, slot, err), nil
		}
		if why := p.handedOut(ctx, slot, m); why != "" {
			return why, nil
		}
		got = FaultNode{Container: m.ct.Name, Port: m.ct.Port, ID: m.self.ID, Role: "master"}
		return "", nil
	})
	return got, err
}

// newMaster picks the reachable master of slot that is not node from,
// the newest (highest config epoch) when several claim it.
func newMaster(ms []reachable, slot int, from string) (reachable, string) {
	var best reachable
	found, old := false, ""
	for _, m := range ms {
		if !servesSlot(m.self, slot) {
			continue
		}
		if m.self.ID == from {
			old = m.ct.Name
			continue
		}
		if !found || m.self.ConfigEpoch > best.self.ConfigEpoch {
			best, found = m, true
		}
	}
	switch {
	case found:
		return best, ""
	case old != "":
		return best, fmt.Sprintf("slot %d is still served by %s, its master before the fault", slot, old)
	default:
		return best, fmt.Sprintf("no reachable master serves slot %d yet", slot)
	}
}

// WaitServing waits until every slot is served by a reachable master that
// takes writes, even with nodes down: what a client needs, not full
// health.
func WaitServing(ctx context.Context, name string, timeout time.Duration, o Options) error {
	p, err := newProber(ctx, name, o)
	if err != nil {
		return err
	}
	defer p.close()
	return until(ctx, timeout, fmt.Sprintf("cluster %q did not serve every slot", name), func(ctx context.Context) (string, error) {
		ms, err := p.masters(ctx)
		if err != nil {
			return "", err
		}
		if why := uncovered(ms); why != "" {
			return why, nil
		}
		for _, m := range ms {
			if err := writable(ctx, m, m.self.Slots[0][0]); err != nil {
				return fmt.Sprintf("%s serves slots %s but refuses writes: %v", m.ct.Name, m.self.SlotString(), err), nil
			}
		}
		return "", nil
	})
}

// uncovered names the slot ranges no reachable master serves.
func uncovered(ms []reachable) string { return reachableOwners(ms).Uncovered() }

// Owners is who served which slots at one moment.
type Owners []SlotOwner

// SlotOwner is one master and the slots it served.
type SlotOwner struct {
	ID    string
	Epoch int64
	Slots [][2]int
}

// Of returns the ID of slot's master ("" for none), the newest claim
// winning.
func (ow Owners) Of(slot int) string {
	id, epoch := "", int64(-1)
	for _, m := range ow {
		if servesSlot(redisx.ClusterNode{Slots: m.Slots}, slot) && m.Epoch > epoch {
			id, epoch = m.ID, m.Epoch
		}
	}
	return id
}

// Uncovered names the slot ranges none of the masters serves ("" when
// every slot is served): the verdict "serving" is this being "".
func (ow Owners) Uncovered() string {
	var served [topology.SlotCount]bool
	for _, m := range ow {
		for _, r := range m.Slots {
			for s := r[0]; s <= r[1]; s++ {
				served[s] = true
			}
		}
	}
	var gaps []string
	for s := 0; s < topology.SlotCount; s++ {
		if served[s] {
			continue
		}
		e := s
		for e+1 < topology.SlotCount && !served[e+1] {
			e++
		}
		gaps = append(gaps, redisx.ClusterNode{Slots: [][2]int{{s, e}}}.SlotString())
		s = e
	}
	if len(gaps) == 0 {
		return ""
	}
	return fmt.Sprintf("slots %s are served by no reachable master", strings.Join(gaps, " "))
}

// reachableOwners is who the reachable masters say they serve.
func reachableOwners(ms []reachable) Owners {
	out := make(Owners, len(ms))
	for i, m := range ms {
		out[i] = SlotOwner{ID: m.self.ID, Epoch: m.self.ConfigEpoch, Slots: m.self.Slots}
	}
	return out
}

// SlotMasters reads who serves which slots now, from the reachable
// masters.
func SlotMasters(ctx context.Context, name string, o Options) (Owners, error) {
	p, err := newProber(ctx, name, o)
	if err != nil {
		return nil, err
	}
	defer p.close()
	ms, err := p.masters(ctx)
	if err != nil {
		return nil, err
	}
	return reachableOwners(ms), nil
}
