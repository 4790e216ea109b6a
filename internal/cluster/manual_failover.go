package cluster

import (
	"context"
	"fmt"
	"time"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/redisx"
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
	if err := promote(ctx, l, m, fo, o.log()); err != nil {
		return nil, err
	}
	res.Slots, res.Elapsed = m.slots(), time.Since(begin)
	return res, nil
}

// promote runs CLUSTER FAILOVER [FORCE] on replica m and waits until m
// is a master with slots and every reachable node sees it as a master.
func promote(ctx context.Context, l *live, m *member, fo FailoverOptions, log *cli.Logger) error {
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
	if err := m.conn.Failover(ctx, how); err != nil {
		if redisx.IsMasterDown(err) {
			return fmt.Errorf("the master of %s is down or failing; promote it anyway with --force: %w", m.name(), err)
		}
		return err
	}
	if err := waitMaster(ctx, l, m, timeout); err != nil {
		if !fo.Force {
			err = fmt.Errorf("%w (if its master is down, use --force)", err)
		}
		return err
	}
	st.End(true)
	return nil
}

// waitMaster polls until m says it is a master with slots and every other
// node that answers sees it as a master.
func waitMaster(ctx context.Context, l *live, m *member, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		_ = l.refresh(ctx) // nodes that are down do not answer; they are skipped
		why := ""
		if !m.master() || m.slots() == 0 {
			why = fmt.Sprintf("%s is still a replica", m.name())
		}
		for _, o := range l.members {
			if n, ok := o.sees(m.id()); why == "" && o != m && o.err == nil && ok && !n.IsMaster() {
				why = fmt.Sprintf("%s does not see %s as master yet", o.name(), m.name())
			}
		}
		if why == "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("failover of %s did not complete within %s: %s", m.name(), timeout, why)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollInterval * 5):
		}
	}
}
