package cluster

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// moveTimeout bounds one pipeline of slot moves; member connections use
// it as their read timeout.
const moveTimeout = time.Minute

// member is one running node as a day-2 operation sees it: its container,
// an admin connection from the host, its address on the nodes' network,
// and what it said in CLUSTER NODES when last read.
type member struct {
	ct   docker.Container
	conn *redisx.Node
	ip   netip.Addr // bridge address (zero for host networking)
	peer string     // where other nodes reach it
	bus  int
	self redisx.ClusterNode
	view []redisx.ClusterNode
	err  error // the last refresh failed: view and self are stale
}

func (m *member) id() string   { return m.self.ID }
func (m *member) name() string { return m.ct.Name }
func (m *member) master() bool { return m.self.IsMaster() }
func (m *member) slots() int   { return m.self.SlotCount() }
func (m *member) fresh() bool  { return len(m.view) == 1 && m.slots() == 0 }
func (m *member) peerOf() redisx.Peer {
	return redisx.Peer{IP: m.peer, Port: m.ct.Port, BusPort: m.bus}
}

// sees returns m's line about node id.
func (m *member) sees(id string) (redisx.ClusterNode, bool) {
	for _, n := range m.view {
		if n.ID == id {
			return n, true
		}
	}
	return redisx.ClusterNode{}, false
}

// live is a cluster's running nodes, ordered by index.
type live struct {
	h       *handle
	spec    spec.Spec
	members []*member
	stopped []docker.Container
}

// loadLive connects to every running node of h and reads its view; nodes
// that do not answer keep their error (see requireAll).
func loadLive(ctx context.Context, h *handle, o Options) (*live, error) {
	l := &live{h: h, spec: h.spec}
	for _, c := range h.cts {
		if !c.Running() {
			l.stopped = append(l.stopped, c)
			continue
		}
		m := &member{ct: c, bus: h.spec.FirstBusPort() + c.Index,
			conn: redisx.DialSlow(AdminAddr(h.spec, c.Port), h.auth(), moveTimeout)}
		if net := h.spec.Net().Network(); net != "" {
			ip, err := o.Docker.IP(ctx, c.ID, net)
			if err != nil {
				// killed a moment ago, or cut off its network: it is
				// not a member now, and it keeps the cluster from
				// being healthy (heal starts or reconnects it)
				o.Log().V(1, "   %s: %v", c.Name, err)
				c.State = "off its network"
				l.stopped = append(l.stopped, c)
				continue
			}
			m.ip = ip
		}
		m.peer = peerAddr(h.spec, m.ip)
		l.members = append(l.members, m)
	}
	_ = l.refresh(ctx)
	return l, nil
}

// refresh re-reads every member's CLUSTER NODES.
func (l *live) refresh(ctx context.Context) error {
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for _, m := range l.members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			view, err := m.conn.Nodes(ctx)
			mu.Lock()
			defer mu.Unlock()
			m.err = err
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("node %s: %w", m.name(), err)
				}
				return
			}
			m.view = view
			m.self, _ = redisx.Myself(view)
		}()
	}
	wg.Wait()
	return firstErr
}

func (l *live) close() {
	for _, m := range l.members {
		m.conn.Close()
	}
}

// requireAll refuses to work on a cluster with stopped or silent nodes.
func (l *live) requireAll() error {
	for _, m := range l.members {
		if m.err != nil {
			return fmt.Errorf("node %s does not answer, so cluster %q cannot change safely now (`redis-dock heal --name %s` starts or unpauses it): %w", m.name(), l.spec.Name, l.spec.Name, m.err)
		}
	}
	if len(l.stopped) == 0 {
		return nil
	}
	return fmt.Errorf("node %s of cluster %q is not running (%s); `redis-dock heal --name %s` starts it, then try again",
		l.stopped[0].Name, l.spec.Name, l.stopped[0].State, l.spec.Name)
}

func (l *live) byID(id string) *member {
	for _, m := range l.members {
		if m.id() == id {
			return m
		}
	}
	return nil
}

func (l *live) byIndex(i int) *member {
	for _, m := range l.members {
		if m.ct.Index == i {
			return m
		}
	}
	return nil
}

// masters returns the members that are masters now.
func (l *live) masters() []*member {
	var out []*member
	for _, m := range l.members {
		if m.master() {
			out = append(out, m)
		}
	}
	return out
}

// owners maps every slot to the master that claims it ("" for none),
// from each master's own line: a node is the authority on what it serves.
func (l *live) owners() [topology.SlotCount]string {
	var out [topology.SlotCount]string
	for _, m := range l.masters() {
		for _, r := range m.self.Slots {
			for s := r[0]; s <= r[1]; s++ {
				out[s] = m.id()
			}
		}
	}
	return out
}

// names lists member names, for health checks.
func (l *live) conns() ([]*redisx.Node, []string) {
	ns, names := make([]*redisx.Node, len(l.members)), make([]string, len(l.members))
	for i, m := range l.members {
		ns[i], names[i] = m.conn, m.name()
	}
	return ns, names
}
