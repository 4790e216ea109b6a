package sentinel

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// dial connects to node n by its admin address.
func (ur *upgradeRun) dial(n topology.Node) *redisx.Node {
	return redisx.Dial(ur.want.Net().AdminAddr(n.Port), roleAuth(ur.want, ur.tls, n.Role))
}

// until polls check every pollInterval until it says nothing is wrong,
// or the group's --wait passes; the error says what was still wrong.
func (ur *upgradeRun) until(ctx context.Context, check func() string) error {
	ctx, cancel := context.WithTimeout(ctx, ur.want.Wait)
	defer cancel()
	last := "no check finished"
	for {
		p := check()
		if p == "" {
			return nil
		}
		if ctx.Err() == nil {
			last = p
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not within --wait %s: %s", ur.want.Wait, last)
		case <-time.After(pollInterval):
		}
	}
}

// waitHealthy waits, under a status line, until the group is healthy as
// `status` judges it.
func (ur *upgradeRun) waitHealthy(ctx context.Context, format string, args ...any) error {
	st := ur.log.Start(format, args...)
	defer st.End(false)
	if err := WaitHealthy(ctx, ur.want.Name, ur.want.Wait, ur.o); err != nil {
		return err
	}
	st.End(true)
	return nil
}

// waitBack waits until node n answers and, as a replica, is linked to its
// upstream and has reached the master's replication offset as read once
// its link is up.
func (ur *upgradeRun) waitBack(ctx context.Context, n topology.Node, masterName string) error {
	c := ur.dial(n)
	defer c.Close()
	if n.Role == topology.RoleMaster {
		return ur.until(ctx, func() string {
			if err := c.Ping(ctx); err != nil {
				return fmt.Sprintf("%s does not answer: %v", n.Name, err)
			}
			return ""
		})
	}
	var master topology.Node
	for _, p := range plan(ur.want, ur.subnet) {
		if p.Name == masterName {
			master = p
		}
	}
	mc := ur.dial(master)
	defer mc.Close()
	target := int64(-1)
	return ur.until(ctx, func() string {
		r, err := c.Replication(ctx)
		if err != nil {
			return fmt.Sprintf("%s: %v", n.Name, err)
		}
		if !r.LinkUp {
			return fmt.Sprintf("%s's link to its upstream is down", n.Name)
		}
		if target < 0 {
			mr, err := mc.Replication(ctx)
			if err != nil {
				return fmt.Sprintf("master %s: %v", masterName, err)
			}
			target = mr.Offset
		}
		if r.Offset < target {
			return fmt.Sprintf("%s is at replication offset %d, the master %s was at %d", n.Name, r.Offset, masterName, target)
		}
		return ""
	})
}

// failover moves the master role away from s.Node with SENTINEL FAILOVER,
// losing no acknowledged write: the old master's writes are paused
// (CLIENT PAUSE WRITE: clients wait, nothing fails), every replica is
// waited for until it has all of them, then the sentinels fail over (any
// replica they pick is up to date), and once every sentinel names the new
// master the old one is made its replica and unpaused: the writes that
// waited there get READONLY, which clients retry on the new master.
func (ur *upgradeRun) failover(ctx context.Context, s upgradeStep) error {
	g, st, err := ur.read(ctx)
	if err != nil {
		return err
	}
	defer g.close()
	if st.Master != s.Node { // done by an earlier run, or by the sentinels
		return nil
	}
	nodes := plan(ur.want, ur.subnet)
	byName := map[string]topology.Node{}
	for _, n := range nodes {
		byName[n.Name] = n
	}
	old := ur.dial(byName[s.Node])
	defer old.Close()
	line := ur.log.Start("Failing over %s (SENTINEL FAILOVER, its writes paused until the sentinels agree)", s.Node)
	defer line.End(false)
	pause := strconv.FormatInt((3 * ur.want.Wait).Milliseconds(), 10)
	if _, err := old.Command(ctx, "CLIENT", "PAUSE", pause, "WRITE"); err != nil {
		return fmt.Errorf("CLIENT PAUSE on %s: %w", s.Node, err)
	}
	defer func() { _, _ = old.Command(context.WithoutCancel(ctx), "CLIENT", "UNPAUSE") }()
	if err := ur.waitReplicas(ctx, old, st, byName); err != nil {
		return err
	}
	if err := ur.sentinelFailover(ctx, g); err != nil {
		return err
	}
	newName, err := ur.waitSwitched(ctx, g, byName[s.Node], nodes)
	if err != nil {
		return err
	}
	nm := byName[newName]
	if _, err := old.Command(ctx, "REPLICAOF", peerHost(ur.want, nm), strconv.Itoa(nm.Port)); err != nil {
		return fmt.Errorf("REPLICAOF on the old master %s: %w", s.Node, err)
	}
	if _, err := old.Command(ctx, "CLIENT", "UNPAUSE"); err != nil {
		return fmt.Errorf("CLIENT UNPAUSE on %s: %w", s.Node, err)
	}
	ur.res.Failovers = append(ur.res.Failovers, s.Node+" -> "+newName)
	line.End(true)
	return nil
}

// waitReplicas waits until every replica has the paused master's whole
// replication stream.
func (ur *upgradeRun) waitReplicas(ctx context.Context, old *redisx.Node, st *Status, byName map[string]topology.Node) error {
	mr, err := old.Replication(ctx)
	if err != nil {
		return err
	}
	for _, d := range st.Nodes {
		if d.Name == st.Master {
			continue
		}
		c := ur.dial(byName[d.Name])
		err := ur.until(ctx, func() string {
			r, err := c.Replication(ctx)
			switch {
			case err != nil:
				return fmt.Sprintf("%s: %v", d.Name, err)
			case !r.LinkUp:
				return fmt.Sprintf("%s's link to its upstream is down", d.Name)
			case r.Offset < mr.Offset:
				return fmt.Sprintf("%s is at replication offset %d, the master at %d", d.Name, r.Offset, mr.Offset)
			}
			return ""
		})
		c.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// sentinelFailover asks a sentinel to fail over, again while it answers
// that no replica is good yet or a failover is in progress.
func (ur *upgradeRun) sentinelFailover(ctx context.Context, g *group) error {
	var s *redisx.Node
	for _, m := range g.members {
		if m.role == topology.RoleSentinel {
			s = m.conn
			break
		}
	}
	if s == nil {
		return fmt.Errorf("sentinel group %q has no sentinel", ur.want.Name)
	}
	return ur.until(ctx, func() string {
		_, err := s.Command(ctx, "SENTINEL", "FAILOVER", ur.want.Name)
		if err != nil {
			return fmt.Sprintf("SENTINEL FAILOVER %s on %s: %v", ur.want.Name, s.Addr, err)
		}
		return ""
	})
}

// waitSwitched waits until every sentinel hands out a node other than
// old as the master, the same one, with its failover finished, and
// returns that node's name.
func (ur *upgradeRun) waitSwitched(ctx context.Context, g *group, old topology.Node, nodes []topology.Node) (string, error) {
	name := ""
	err := ur.until(ctx, func() string {
		port := 0
		for _, m := range g.members {
			if m.role != topology.RoleSentinel {
				continue
			}
			v := sentinelView(ctx, m, ur.want.Name)
			p := portOf(v.Master)
			switch {
			case v.Error != "":
				return fmt.Sprintf("sentinel %s: %s", m.name, v.Error)
			case p == old.Port:
				return fmt.Sprintf("sentinel %s still hands out %s", m.name, old.Name)
			case port != 0 && p != port:
				return fmt.Sprintf("sentinels hand out two masters (ports %d and %d)", port, p)
			case !strings.EqualFold(v.Flags, "master"):
				return fmt.Sprintf("sentinel %s flags the master %s", m.name, v.Flags)
			}
			port = p
		}
		for _, n := range nodes {
			if n.Port == port && n.Role != topology.RoleSentinel {
				name = n.Name
				return ""
			}
		}
		return fmt.Sprintf("the sentinels hand out port %d, no data node of the group", port)
	})
	return name, err
}

// set gives data node s.Node the new settings at runtime and records the
// new spec in its container, so a later plan sees it current.
func (ur *upgradeRun) set(ctx context.Context, s upgradeStep) error {
	g, _, err := ur.read(ctx)
	if err != nil {
		return err
	}
	defer g.close()
	for i, c := range g.cts {
		if c.Name == s.Node {
			return provision.SetLive(ctx, ur.o, c, g.members[i].conn, ur.changes[s.Node], ur.want, ur.res)
		}
	}
	return fmt.Errorf("node %s is gone (`redis-dock up` with the group's spec makes it again); then run upgrade again", s.Node)
}
