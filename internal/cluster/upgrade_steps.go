package cluster

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// step runs one step of the plan to its end, even when ctx is cancelled
// meanwhile (an interrupt stops the upgrade between nodes, never with a
// node down), and checks the cluster healthy after it.
func (ur *upgradeRun) step(ctx context.Context, s upgradeStep) error {
	ctx, cancel := finishing(ctx)
	defer cancel()
	switch s.Kind {
	case stepSet:
		return ur.set(ctx, s)
	case stepFailover:
		return ur.failover(ctx, s)
	}
	return ur.replace(ctx, s)
}

// reload reads the cluster again: containers (a replaced node has a new
// one), spec and every node's view.
func (ur *upgradeRun) reload(ctx context.Context) (*live, error) {
	h, err := open(ctx, ur.want.Name, ur.o)
	if err != nil {
		return nil, err
	}
	ur.h = h
	return loadLive(ctx, h, ur.o)
}

// member reloads the cluster and finds node name in it.
func (ur *upgradeRun) member(ctx context.Context, name string) (*live, *member, error) {
	l, err := ur.reload(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range l.members {
		if m.name() == name {
			if m.err != nil {
				l.close()
				return nil, nil, fmt.Errorf("node %s does not answer: %w", name, m.err)
			}
			return l, m, nil
		}
	}
	l.close()
	return nil, nil, fmt.Errorf("node %s is not running (`redis-dock heal --name %s` starts it; then run upgrade again)", name, ur.want.Name)
}

// planNode is m as `up` plans it (port, bus port, role label), at the
// address it has now.
func (ur *upgradeRun) planNode(m *member) topology.Node {
	n := topology.Node{Name: m.name(), Index: m.ct.Index, Port: m.ct.Port, BusPort: m.bus, Role: topology.RoleReplica}
	for _, p := range ur.plan.Nodes {
		if p.Index == m.ct.Index {
			n = p
		}
	}
	n.Name, n.Port = m.name(), m.ct.Port
	if m.ip.IsValid() {
		n.IP = m.ip
	}
	return n
}

// replace stops node s.Node, removes its container (not its volume) and
// makes it again as `up` does, from the new image with the new config,
// then waits until it is back: a replica linked to its master and caught
// up with it, or (no replica: --allow-downtime) a master serving again.
func (ur *upgradeRun) replace(ctx context.Context, s upgradeStep) error {
	l, m, err := ur.member(ctx, s.Node)
	if err != nil {
		return err
	}
	master := m.master()
	if master && s.Kind != stepDowntime {
		l.close()
		return fmt.Errorf("node %s is a master, not a replica, so replacing it would take its slots down; run upgrade again to plan anew", m.name())
	}
	what := "replica of " + l.nameOf(m, m.self.MasterID)
	switch {
	case master && m.slots() == 0:
		what = "master with no slot"
	case master:
		what = "master without replica: its slots are down until it is back"
	}
	n := ur.planNode(m)
	l.close()
	st := ur.log.Start("Replacing %s (%s)", m.name(), what)
	defer st.End(false)
	u := &upRun{spec: ur.want, o: ur.o, log: ur.log, cr: ur.cr, tls: ur.h.tls}
	if err := provision.Recreate(ctx, ur.o, m.ct, func(ctx context.Context) error { return u.startNode(ctx, n) }); err != nil {
		return err
	}
	ur.res.Replaced = append(ur.res.Replaced, n.Name)
	if err := ur.waitBack(ctx, n.Name, master); err != nil {
		return err
	}
	st.End(true)
	return nil
}

// waitBack waits until the node made again answers, is a replica caught
// up with its master (unless it was a master) and the cluster is healthy.
func (ur *upgradeRun) waitBack(ctx context.Context, name string, master bool) error {
	var l *live
	var m *member
	err := until(ctx, ur.want.Wait, fmt.Sprintf("node %s did not answer", name), func(ctx context.Context) (string, error) {
		var err error
		if l, m, err = ur.member(ctx, name); err != nil {
			return err.Error(), nil
		}
		return "", nil
	})
	if err != nil {
		return err
	}
	defer l.close()
	if !master {
		if err := ur.waitCaughtUp(ctx, l, m); err != nil {
			return err
		}
	}
	return l.waitHealthy(ctx, ur.want.Wait)
}

// waitCaughtUp waits until replica m's link to its master is up and its
// replication offset has reached the master's offset as first read.
func (ur *upgradeRun) waitCaughtUp(ctx context.Context, l *live, m *member) error {
	target := int64(-1)
	return l.waitFor(ctx, ur.want.Wait, func() string {
		mm := l.byID(m.self.MasterID)
		if m.master() || mm == nil {
			return fmt.Sprintf("%s is not a replica of a running master yet", m.name())
		}
		ri, err := m.conn.Info(ctx, "replication")
		if err != nil {
			return err.Error()
		}
		if ri["master_link_status"] != "up" {
			return fmt.Sprintf("%s's link to its master %s is %s", m.name(), mm.name(), ri["master_link_status"])
		}
		if target < 0 {
			mi, err := mm.conn.Info(ctx, "replication")
			if err != nil {
				return err.Error()
			}
			target, _ = strconv.ParseInt(mi["master_repl_offset"], 10, 64)
		}
		if off, _ := strconv.ParseInt(ri["slave_repl_offset"], 10, 64); off < target {
			return fmt.Sprintf("%s is at replication offset %d, its master %s was at %d", m.name(), off, mm.name(), target)
		}
		return ""
	})
}

// failover promotes replica s.To in place of master s.Node (waiting
// until it is master in every node's CLUSTER SLOTS) and then until the
// old master follows it as a replica. Done already (an earlier run) is
// fine.
func (ur *upgradeRun) failover(ctx context.Context, s upgradeStep) error {
	l, old, err := ur.member(ctx, s.Node)
	if err != nil {
		return err
	}
	defer l.close()
	r := l.byName(s.To)
	if r == nil || r.err != nil {
		return fmt.Errorf("replica %s does not answer; run upgrade again to plan anew", s.To)
	}
	if !(r.master() && old.self.MasterID == r.id()) {
		if r.self.MasterID != old.id() {
			return fmt.Errorf("%s is no longer a replica of %s; run upgrade again to plan anew", r.name(), old.name())
		}
		if err := ur.waitCaughtUp(ctx, l, r); err != nil {
			return err
		}
		if err := promote(ctx, l, r, FailoverOptions{}, ur.log); err != nil {
			return err
		}
	}
	err = l.waitFor(ctx, ur.want.Wait, func() string {
		if old.master() || old.self.MasterID != r.id() {
			return fmt.Sprintf("%s does not follow %s yet", old.name(), r.name())
		}
		return ""
	})
	if err != nil {
		return err
	}
	ur.res.Failovers = append(ur.res.Failovers, old.name()+" -> "+r.name())
	return l.waitHealthy(ctx, ur.want.Wait)
}

// set gives node s.Node the new settings at runtime and records the new
// spec in its container, so a later run sees it current.
func (ur *upgradeRun) set(ctx context.Context, s upgradeStep) error {
	l, m, err := ur.member(ctx, s.Node)
	if err != nil {
		return err
	}
	defer l.close()
	if err := provision.SetLive(ctx, ur.o, m.ct, m.conn, ur.changes[s.Node], ur.want, ur.res); err != nil {
		return err
	}
	return l.waitHealthy(ctx, ur.want.Wait)
}

// byName is the member whose container is name.
func (l *live) byName(name string) *member {
	for _, m := range l.members {
		if m.name() == name {
			return m
		}
	}
	return nil
}

// restoreMissing makes again, from the new image and config, every node
// whose container is gone but whose volume is there: an upgrade killed
// (SIGKILL, a crash) between removing a node's container and making it
// again leaves that. Such a node comes back with its node ID and data.
func (ur *upgradeRun) restoreMissing(ctx context.Context, l *live) (*live, error) {
	restored := false
	for _, n := range ur.plan.Nodes {
		if _, ok := ur.h.byPort(n.Port); ok {
			continue
		}
		found, err := ur.o.Docker.VolumeExists(ctx, docker.VolumeName(n.Name))
		if err != nil {
			return l, err
		}
		if !found {
			continue
		}
		st := ur.log.Start("Making node %s again from its volume (its container is gone)", n.Name)
		fctx, cancel := finishing(ctx)
		u := &upRun{spec: ur.want, o: ur.o, log: ur.log, cr: ur.cr, tls: ur.h.tls}
		err = u.startNode(fctx, n)
		cancel()
		if err != nil {
			st.End(false)
			return l, fmt.Errorf("failed to make node %s again: %w", n.Name, err)
		}
		ur.res.Replaced = append(ur.res.Replaced, n.Name)
		restored = true
		st.End(true)
	}
	if !restored {
		return l, nil
	}
	l.close()
	fresh, err := ur.reload(ctx)
	if err != nil {
		return l, err
	}
	if err := fresh.waitHealthy(ctx, ur.want.Wait); err != nil {
		return fresh, err
	}
	_ = fresh.refresh(ctx) // the views loaded while the node started are stale
	return fresh, nil
}
