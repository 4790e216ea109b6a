package form

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// Stream forms a cluster while its nodes are still starting, so that the
// handshakes, slot claims and replica syncs overlap the engine's work
// instead of following it. Join brings each node in as soon as its
// container runs; Run afterwards finds the cluster formed and waits for
// health (nodes Join found not fresh are Run's to judge).
//
// Joining early also avoids a rejoin delay. A master's first cluster-state
// check comes CLUSTER_WRITABLE_DELAY (2 s) after its start; a master that
// serves no slot then counts itself in a minority (no reachable master of
// a quorum of one) and, once it gets slots, holds cluster_state:fail for
// node-timeout (at most 5 s). A master that owns its slots before that
// check reports ok as soon as it knows every slot.
type Stream struct {
	c      *Cluster
	conns  []*redisx.Node
	joined []chan struct{} // closed once member i joined or was left to Run

	mu    sync.Mutex
	order []int    // members that joined, in order
	ids   []string // node ID of each member that joined
}

// Stream starts forming while nodes start; Close it afterwards.
func (c *Cluster) Stream() *Stream {
	s := &Stream{c: c, conns: c.Dial(), joined: make([]chan struct{}, len(c.Members)), ids: make([]string, len(c.Members))}
	for i := range s.joined {
		s.joined[i] = make(chan struct{})
	}
	return s
}

// Close closes the stream's connections.
func (s *Stream) Close() { CloseAll(s.conns) }

// Join brings fresh member i into the cluster once its container runs:
// it gives the node its config epoch (a master also its slots), MEETs
// every member that joined before it, has those MEET it back when it is a
// master (so every node MEETs every master, as in form), and has a
// replica REPLICATE its master once it knows it. Call it once per member.
func (s *Stream) Join(ctx context.Context, i int) error {
	ctx, cancel := context.WithTimeout(ctx, s.c.Wait)
	defer cancel()
	fresh, err := s.prepare(ctx, i)
	if err != nil || !fresh {
		close(s.joined[i])
		return err
	}
	err = s.meet(ctx, i, s.add(i))
	close(s.joined[i])
	if err != nil {
		return err
	}
	return s.follow(ctx, i)
}

// prepare waits for member i to answer and, when it is fresh (alone, no
// slots, no epoch, no keys), gives it its epoch and slots.
func (s *Stream) prepare(ctx context.Context, i int) (bool, error) {
	n := s.conns[i]
	if err := n.WaitPing(ctx, PollInterval); err != nil {
		return false, err
	}
	nodes, err := n.Nodes(ctx)
	if err != nil {
		return false, err
	}
	me, _ := redisx.Myself(nodes)
	if len(nodes) != 1 || me.SlotCount() > 0 || me.ConfigEpoch != 0 {
		return false, nil
	}
	if keys, err := n.DBSize(ctx); err != nil || keys > 0 {
		return false, wrap(err, "DBSIZE on %s", n.Addr)
	}
	s.mu.Lock()
	s.ids[i] = me.ID
	s.mu.Unlock()
	return true, s.c.prepareNode(ctx, i, n)
}

// add records member i as joined and returns those that joined before.
func (s *Stream) add(i int) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	earlier := append([]int(nil), s.order...)
	s.order = append(s.order, i)
	return earlier
}

func (s *Stream) meet(ctx context.Context, i int, earlier []int) error {
	peers := make([]redisx.Peer, len(earlier))
	for k, j := range earlier {
		peers[k] = s.peer(j)
	}
	if err := s.conns[i].MeetAll(ctx, peers); err != nil {
		return err
	}
	if s.c.Members[i].Role != topology.RoleMaster {
		return nil
	}
	back := make([]*redisx.Node, len(earlier))
	for k, j := range earlier {
		back[k] = s.conns[j]
	}
	me := []redisx.Peer{s.peer(i)}
	return Each(ctx, back, func(ctx context.Context, _ int, n *redisx.Node) error { return n.MeetAll(ctx, me) })
}

func (s *Stream) peer(j int) redisx.Peer {
	m := s.c.Members[j]
	return redisx.Peer{IP: m.PeerIP, Port: m.Port, BusPort: m.BusPort}
}

// follow makes replica i REPLICATE its master once the master joined
// and replica i knows it. Until the handshake is done the replica knows
// the master only by a temporary name and answers "Unknown node": asking
// again is cheaper than polling CLUSTER NODES.
func (s *Stream) follow(ctx context.Context, i int) error {
	m := s.c.Members[i]
	if m.Role != topology.RoleReplica {
		return nil
	}
	select {
	case <-s.joined[m.Master]:
	case <-ctx.Done():
		return fmt.Errorf("replica %s: master %s did not start: %w", m.Name, s.c.Members[m.Master].Name, ctx.Err())
	}
	s.mu.Lock()
	id := s.ids[m.Master]
	s.mu.Unlock()
	if id == "" {
		return nil // the master was not fresh: Run judges it
	}
	for {
		err := s.conns[i].Replicate(ctx, id)
		if err == nil || !strings.Contains(err.Error(), "Unknown node") {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("replica %s did not meet its master %s within --wait %s: %w", m.Name, s.c.Members[m.Master].Name, s.c.Wait, err)
		case <-time.After(PollInterval):
		}
	}
}

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
