package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// HealOptions shape a heal.
type HealOptions struct {
	// CoverSlots assigns slots that no running master serves (unassigned,
	// or owned by a failed node whose container is gone or stopped) to
	// masters. Keys of such slots on a dead node are lost for good, so
	// it is never done unasked.
	CoverSlots bool
	Move       MoveOptions
	Wait       time.Duration // for the cluster to settle (default 60s)
}

// HealResult is what a heal did.
type HealResult struct {
	Remet       []string    // nodes whose address others had wrong (or did not know)
	Closed      int         // open slots closed
	Covered     int         // slots assigned (with CoverSlots)
	Lost        []LostSlots // of the covered slots, those whose keys lived on a dead node
	Uncovered   int         // slots no running master serves, left alone
	Replicated  []string    // orphaned replicas given a master
	Started     []string    // stopped, exited or paused node containers started
	Reconnected []string    // node containers cut off their network, attached again
	Skipped     []string    // nodes not running or not answering
	Elapsed     time.Duration
}

// Heal repairs what day-to-day trouble leaves in a cluster made by `up`:
// it starts node containers that stopped or died (and reconnects those
// cut off their network), re-MEETs nodes whose address changed, closes open slots, gives
// orphaned replicas a master and, only when asked, covers slots no master
// serves. Then it waits for health; the error says what is still wrong.
func Heal(ctx context.Context, name string, ho HealOptions, o Options) (*HealResult, error) {
	begin := time.Now()
	h, err := openCluster(ctx, name, "heal", o)
	if err != nil {
		return nil, err
	}
	if ho.Wait <= 0 {
		ho.Wait = spec.Default().Wait
	}
	res := &HealResult{}
	if err := revive(ctx, h, res, ho.Wait, o); err != nil {
		return res, err
	}
	l, err := repair(ctx, h, ho, o, res)
	if err != nil {
		return res, err
	}
	defer l.close()
	if len(res.Skipped) > 0 { // the others still know them: no wait can end healthy
		return res, fmt.Errorf("repaired what could be, but %s did not answer, so cluster %q cannot be healthy: "+
			"see `docker logs %s`, then run `redis-dock heal --name %s` again", strings.Join(res.Skipped, ", "), l.spec.Name, res.Skipped[0], l.spec.Name)
	}
	st := o.Log().Start("Waiting for the cluster to be healthy")
	defer st.End(false)
	if err := l.waitHealthy(ctx, ho.Wait); err != nil {
		if res.Uncovered > 0 {
			err = fmt.Errorf("%w (%d slots are served by no running master: --cover-slots assigns them, losing their keys on the dead node)", err, res.Uncovered)
		}
		return res, err
	}
	st.End(true)
	res.Elapsed = time.Since(begin)
	return res, nil
}

// repair runs heal's repairs on a fresh view of the cluster. A node that
// was just started, or the failover a fault set off, can make a repair
// fail for a moment (CLUSTERDOWN while the cluster state turns ok, a
// slot's owner changing under a move): within the wait budget it looks
// again and repeats what is still to do, as a user running heal again
// would. Each repair is idempotent: what is already right is left alone.
func repair(ctx context.Context, h *handle, ho HealOptions, o Options, res *HealResult) (*live, error) {
	deadline := time.Now().Add(ho.Wait)
	said := ""
	for {
		l, err := loadLive(ctx, h, o)
		if err != nil {
			return nil, err
		}
		res.Skipped = nil
		hr := &healRun{l: l, ho: ho, o: o, res: res}
		hr.dropSilent()
		err = hr.steps(ctx)
		if err == nil {
			return l, nil
		}
		l.close()
		if ctx.Err() != nil || time.Now().Add(time.Second).After(deadline) {
			return nil, err
		}
		if err.Error() != said {
			said = err.Error()
			o.Log().Warnf("%v; looking at the cluster again", err)
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(time.Second):
		}
	}
}

func (hr *healRun) steps(ctx context.Context) error {
	for _, step := range []func(context.Context) error{hr.remeet, hr.agree, hr.closeSlots, hr.cover, hr.orphans} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

type healRun struct {
	l   *live
	ho  HealOptions
	o   Options
	res *HealResult
}

// dropSilent leaves nodes that do not answer out of the repair.
func (hr *healRun) dropSilent() {
	for _, c := range hr.l.stopped {
		hr.res.Skipped = append(hr.res.Skipped, c.Name)
	}
	var ok []*member
	for _, m := range hr.l.members {
		if m.err != nil {
			hr.res.Skipped = append(hr.res.Skipped, m.name())
			hr.o.Log().Warnf("node %s does not answer; healing without it: %v", m.name(), m.err)
			m.conn.Close()
			continue
		}
		ok = append(ok, m)
	}
	hr.l.members = ok
}

// remeet has every node that has another one's address wrong, or does not
// know it, MEET it at its address now. The handshake finds the known node
// ID and updates its address.
func (hr *healRun) remeet(ctx context.Context) error {
	moved := map[*member]bool{}
	for _, v := range hr.l.members {
		var peers []redisx.Peer
		for _, m := range hr.l.members {
			if n, ok := v.sees(m.id()); m != v && (!ok || n.IP != hr.announced(m) || n.Port != m.ct.Port) {
				peers = append(peers, m.peerOf())
				moved[m] = true
			}
		}
		if err := v.conn.MeetAll(ctx, peers); err != nil {
			return err
		}
	}
	if len(moved) == 0 {
		return nil
	}
	for _, m := range hr.l.members {
		if moved[m] {
			hr.res.Remet = append(hr.res.Remet, m.name())
		}
	}
	st := hr.o.Log().Start("Re-meeting %d nodes at their current addresses", len(moved))
	defer st.End(false)
	return st.Done(hr.l.waitFor(ctx, hr.ho.Wait, hr.addressesRight))
}

// addressesRight reports a node that still has another's address wrong or
// its bus link down.
func (hr *healRun) addressesRight() string {
	if why := hr.l.membership(); why != "" {
		return why
	}
	for _, v := range hr.l.members {
		for _, m := range hr.l.members {
			if n, _ := v.sees(m.id()); m != v && (n.IP != hr.announced(m) || !n.Connected) {
				return fmt.Sprintf("%s still sees %s at %s (connected: %v)", v.name(), m.name(), n.IP, n.Connected)
			}
		}
	}
	return ""
}

// announced is the address other nodes should have for m: the one it
// announces when the spec sets one, else where they reach it.
func (hr *healRun) announced(m *member) string {
	if a := hr.l.spec.AnnounceIP; a != "" {
		return a
	}
	return m.peer
}

func (hr *healRun) closeSlots(ctx context.Context) error {
	mv := &mover{l: hr.l, opt: hr.ho.Move.withDefaults(), log: hr.o.Log()}
	n, err := repairOpenSlots(ctx, mv)
	hr.res.Closed = n
	return err
}

// orphans gives each replica whose master is gone, not a master, or owns
// no slots the running master with the fewest replicas (topology's policy).
func (hr *healRun) orphans(ctx context.Context) error {
	count := map[string]int{}
	var masters []*member
	for _, m := range hr.l.masters() {
		if m.slots() > 0 {
			masters = append(masters, m)
			count[m.id()] = 0
		}
	}
	var orphans []*member
	for _, m := range hr.l.members {
		if m.master() {
			continue
		}
		if _, ok := count[m.self.MasterID]; ok {
			count[m.self.MasterID]++
		} else {
			orphans = append(orphans, m)
		}
	}
	if len(orphans) == 0 || len(masters) == 0 {
		return nil
	}
	st := hr.o.Log().Start("Giving %d orphaned replicas a master", len(orphans))
	defer st.End(false)
	var ids []string
	for _, m := range masters {
		ids = append(ids, m.id())
	}
	for _, r := range orphans {
		to := topology.FewestReplicas(ids, count)
		if err := r.conn.Replicate(ctx, to); err != nil {
			// a replica of a master that hung took its slots meanwhile
			// (a failover): it is no orphan any more
			if _ = hr.l.refresh(ctx); r.master() && r.slots() > 0 {
				hr.o.Log().V(1, "   %s became a master meanwhile (a failover); left as it is", r.name())
				continue
			}
			return fmt.Errorf("giving %s a master: %w (run `redis-dock heal --name %s` again)", r.name(), err, hr.l.spec.Name)
		}
		count[to]++
		hr.res.Replicated = append(hr.res.Replicated, r.name())
	}
	st.End(true)
	return nil
}
