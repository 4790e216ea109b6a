package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

// FailoverOptions shape a manual failover.
type FailoverOptions struct {
	// Force uses CLUSTER FAILOVER FORCE: no handshake with the master, for
	// when it is down. The replica still needs the masters' votes.
	Force bool
	// Timeout bounds the wait for the replica to become master (default:
	// 10s or four node timeouts, whichever is longer).
	Timeout time.Duration
}

// FailoverResult is what a manual failover did.
type FailoverResult struct {
	Node      string // the promoted node's container
	OldMaster string // the container of the master it replaced ("" if unknown)
	Slots     int
	Elapsed   time.Duration
}

// Failover promotes the replica listening on port to master of its
// master's slots and waits until it is master.
func Failover(ctx context.Context, name string, port int, fo FailoverOptions, o Options) (*FailoverResult, error) {
	begin := time.Now()
	h, err := open(ctx, name, o)
	if err != nil {
		return nil, err
	}
	c, ok := h.byPort(port)
	if !ok {
		return nil, fmt.Errorf("port %d: cluster %q has no node on it (see `redis-dock status --name %s`)", port, name, name)
	}
	if !c.Running() {
		return nil, fmt.Errorf("port %d: node %s is not running (%s)", port, c.Name, c.State)
	}
	l, err := loadLive(ctx, h, o)
	if err != nil {
		return nil, err
	}
	defer l.close()
	m := l.byIndex(c.Index)
	if m.err != nil {
		return nil, fmt.Errorf("port %d: node %s does not answer: %w", port, m.name(), m.err)
	}
	res := &FailoverResult{Node: m.name()}
	if old := l.byID(m.self.MasterID); old != nil {
		res.OldMaster = old.name()
	}
	if err := promote(ctx, l, m, fo, o.Log()); err != nil {
		return nil, err
	}
	res.Slots, res.Elapsed = m.slots(), time.Since(begin)
	if fo.Force {
		// asked to promote past a master that is down: done, but say
		// what is left, briefly
		if err := waitHealthyNow(ctx, name, 2*time.Second, o); err != nil {
			o.Log().Warnf("%s is master now, but %v", m.name(), err)
		}
		return res, nil
	}
	if err := waitHealthyNow(ctx, name, spec.Default().Wait, o); err != nil {
		return res, fmt.Errorf("%s is master now, but %w", m.name(), err)
	}
	return res, nil
}

// waitHealthyNow re-reads the cluster (a node may have died since the
// command began) and waits for health: a command that ends without error
// never leaves a cluster that status calls unhealthy.
func waitHealthyNow(ctx context.Context, name string, timeout time.Duration, o Options) error {
	var l *live
	for try := 1; l == nil; try++ {
		h, err := open(ctx, name, o)
		if err != nil {
			return err
		}
		// a container killed a moment ago may still be listed as running
		// but have no address any more: read again
		if l, err = loadLive(ctx, h, o); err != nil && try == 5 {
			return err
		} else if err != nil {
			time.Sleep(500 * time.Millisecond)
		}
	}
	defer l.close()
	st := o.Log().Start("Waiting for the cluster to be healthy")
	defer st.End(false)
	// a promoted replica that had missed a claim keeps a slot map of its
	// own (cluster_state:fail) that gossip does not undo: past two node
	// timeouts, heal's agree step tells it, and the wait goes on
	first := min(timeout, 2*time.Duration(l.spec.NodeTimeout)*time.Millisecond+2*time.Second)
	err := l.waitHealthy(ctx, first)
	if err != nil && timeout > first && ctx.Err() == nil && l.refresh(ctx) == nil && l.disagreement() != "" {
		o.Log().V(1, "   %v", err)
		if err := (&mover{l: l, log: o.Log()}).agree(ctx); err != nil {
			return st.Done(err)
		}
		err = l.waitHealthy(ctx, timeout-first)
	}
	return st.Done(err)
}

// promote runs CLUSTER FAILOVER [FORCE] on replica m and waits until m
// is a master with slots and every reachable node sees it as a master.
func promote(ctx context.Context, l *live, m *member, fo FailoverOptions, log *status.Logger) error {
	if m.master() {
		return fmt.Errorf("node %s is a master already, not a replica (see `redis-dock status --name %s`)", m.name(), l.spec.Name)
	}
	timeout := fo.Timeout
	if timeout <= 0 {
		timeout = max(10*time.Second, 4*time.Duration(l.spec.NodeTimeout)*time.Millisecond)
	}
	how := ""
	if fo.Force {
		how = "FORCE"
	}
	st := log.Start("Promoting %s to master (CLUSTER FAILOVER %s)", m.name(), how)
	defer st.End(false)
	deadline := time.Now().Add(timeout)
	if err := l.waitAnswering(ctx, timeout, func() string {
		if m.master() {
			return "" // its master failed and it took over on its own
		}
		return seenAsReplica(l, m)
	}); err != nil {
		return fmt.Errorf("%w%s (`redis-dock heal --name %s` repairs the cluster; then run the failover again)", err, l.silentNote(), l.spec.Name)
	}
	tookOver := func() error {
		log.V(1, "   %s took over from its master on its own (its master failed)", m.name())
		if err := waitMaster(ctx, l, m, time.Until(deadline)); err != nil {
			return fmt.Errorf("%s took over on its own, but %w%s", m.name(), err, l.silentNote())
		}
		st.End(true)
		return nil
	}
	if m.master() {
		return tookOver()
	}
	for try := 1; ; try++ {
		if err := m.conn.Failover(ctx, how); err != nil {
			if _ = l.refresh(ctx); m.err == nil && m.master() { // promoted between the wait and the command
				return tookOver()
			}
			if redisx.IsMasterDown(err) {
				master := l.nameOf(m, m.self.MasterID)
				return fmt.Errorf("the master of %s, %s, is down or failing: `redis-dock failover %d --force --name %s` promotes it anyway, `redis-dock heal --name %s` brings the master back: %w",
					m.name(), master, m.ct.Port, l.spec.Name, l.spec.Name, err)
			}
			return err
		}
		err := waitMaster(ctx, l, m, min(time.Until(deadline), mfRetry))
		if err == nil {
			st.End(true)
			return nil
		}
		if !m.master() && time.Now().Add(time.Second).Before(deadline) {
			log.V(1, "   %s is still a replica; sending CLUSTER FAILOVER again (try %d)", m.name(), try+1)
			continue
		}
		err = fmt.Errorf("failover of %s did not complete: %w%s", m.name(), err, l.silentNote())
		if !fo.Force {
			err = fmt.Errorf("%w (if its master is down, use --force)", err)
		}
		return err
	}
}

// silentNote names the members that did not answer the last refresh,
// for an error that would otherwise leave out the node at fault.
func (l *live) silentNote() string {
	var names []string
	for _, o := range l.members {
		if o.err != nil {
			names = append(names, o.name())
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("; not answering: %s", strings.Join(names, ", "))
}

// mfRetry is how long to wait before sending CLUSTER FAILOVER again:
// Redis drops a manual failover that has not completed in 5 seconds
// (its master may have answered too late), silently.
const mfRetry = 6 * time.Second

// seenAsReplica reports a master that does not see m as a replica of its
// master yet: such a master refuses its vote ("it is a master node"), and
// right after MEET and REPLICATE that news takes a few pings to spread.
// Masters that do not answer are skipped.
func seenAsReplica(l *live, m *member) string {
	for _, o := range l.members {
		if o == m || o.err != nil || !o.master() {
			continue
		}
		if n, ok := o.sees(m.id()); !ok || n.IsMaster() || n.MasterID != m.self.MasterID {
			return fmt.Sprintf("%s does not see %s as a replica of its master yet", o.name(), m.name())
		}
	}
	return ""
}

// waitMaster polls until m says it is a master with slots and every other
// node that answers sees it as a master.
func waitMaster(ctx context.Context, l *live, m *member, timeout time.Duration) error {
	return l.waitAnswering(ctx, timeout, func() string {
		if !m.master() || m.slots() == 0 {
			return fmt.Sprintf("%s is still a replica", m.name())
		}
		for _, o := range l.members {
			if n, ok := o.sees(m.id()); o != m && o.err == nil && ok && !n.IsMaster() {
				return fmt.Sprintf("%s does not see %s as master yet", o.name(), m.name())
			}
		}
		return handedOutAsMaster(ctx, l, m)
	})
}

// handedOutAsMaster reports an answering node whose CLUSTER SLOTS, what
// clients are told, does not name m as a master yet.
func handedOutAsMaster(ctx context.Context, l *live, m *member) string {
	for _, o := range l.members {
		if o.err != nil {
			continue
		}
		slots, err := o.conn.Slots(ctx)
		if err != nil {
			continue // o stopped answering since the refresh; the next one skips it
		}
		if !slices.ContainsFunc(slots, func(r redisx.SlotRange) bool { return r.Master.ID == m.id() }) {
			return fmt.Sprintf("CLUSTER SLOTS on %s does not hand out %s as a master yet", o.name(), m.name())
		}
	}
	return ""
}

// nameOf names node id as v sees it: its container (found by port when
// it is not running), else the ID.
func (l *live) nameOf(v *member, id string) string {
	if m := l.byID(id); m != nil {
		return m.name()
	}
	if n, ok := v.sees(id); ok {
		for _, c := range l.h.cts {
			if c.Port == n.Port {
				return c.Name
			}
		}
	}
	return id
}
