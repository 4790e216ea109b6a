package cluster

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

// ScaleOptions say what size to scale a cluster to, and how.
type ScaleOptions struct {
	Masters  int // a negative value keeps the current number
	Replicas int // replicas per master; a negative value keeps the current number
	Move     MoveOptions
	Wait     time.Duration // for each settling step and final health (default 60s)
	// Linger bounds how long nodes to remove keep running after they are
	// drained, answering MOVED to clients with stale slot maps (see
	// linger): default 30s; a negative value removes them at once.
	Linger time.Duration
}

// ScaleResult is what a scale did.
type ScaleResult struct {
	Spec     spec.Spec // the cluster's spec now (with its password)
	Added    []string  // containers created
	Removed  []string  // containers removed, with their volumes
	Promoted []string  // replicas that took over a removed master's slots
	Moved    MoveStats
	Closed   int // open slots of an earlier, interrupted run closed first
	Elapsed  time.Duration
}

// Scale changes a cluster made by `up` to so.Masters masters with
// so.Replicas replicas each, moving slots (and their keys) live:
//
//  1. open slots left by an interrupted run are finished first;
//  2. missing nodes get the next indexes, ports and static addresses,
//     and are started as `up` starts them and MEET the cluster;
//  3. slots move so that the chosen masters own even shares; masters
//     that go are drained first;
//  4. the other kept nodes replicate the masters evenly;
//  5. nodes past the new size are forgotten by every other node (CLUSTER
//     FORGET, inside its 60s ban) and removed with their volumes.
//
// Nodes are always removed from the highest index down, so ports stay
// contiguous and `up` with the new spec finds the same cluster (see
// provision.SpecPath). Running Scale again after a failure resumes the work.
func Scale(ctx context.Context, name string, so ScaleOptions, o Options) (*ScaleResult, error) {
	begin := time.Now()
	h, err := openCluster(ctx, name, "scale", o)
	if err != nil {
		return nil, err
	}
	want := h.spec
	if so.Masters >= 0 {
		want.Masters = so.Masters
	}
	if so.Replicas >= 0 {
		want.Replicas = so.Replicas
	}
	want.Wait = so.Wait
	if want.Wait <= 0 {
		want.Wait = spec.Default().Wait
	}
	if so.Linger == 0 {
		so.Linger = 30 * time.Second
	}
	if err := want.Validate(); err != nil {
		return nil, err
	}
	sc := &scaleRun{h: h, want: want, so: so, o: o, log: o.Log(), res: &ScaleResult{Spec: want}, cr: provision.NewCreation(o, name)}
	if err := sc.cr.Hold(ctx, h.cts[0].ImageID); err != nil {
		return nil, err
	}
	err = sc.run(ctx)
	sc.cr.Release(ctx)
	if err != nil {
		return nil, err
	}
	sc.res.Elapsed = time.Since(begin)
	return sc.res, nil
}

// scaleRun carries one Scale's state from step to step.
type scaleRun struct {
	h    *handle
	want spec.Spec
	so   ScaleOptions
	o    Options
	log  *status.Logger
	res  *ScaleResult
	l    *live
	cr   *provision.Creation // the nodes this run started (removed again if it stops before they join)
}

func (sc *scaleRun) run(ctx context.Context) error {
	if err := sc.load(ctx); err != nil {
		return err
	}
	defer func() { sc.l.close() }()
	closed, err := repairOpenSlots(ctx, sc.mover())
	if err != nil {
		return err
	}
	sc.res.Closed = closed
	keep := sc.want.Nodes()
	roles := planRoles(sc.nodeRoles(keep), keep, sc.want.Masters)
	for _, step := range []func(context.Context, rolePlan) error{sc.addNodes, sc.promote, sc.reset, sc.moveSlots, sc.replicas, sc.removeNodes} {
		if err := ctx.Err(); err != nil { // an interrupt: stop between steps
			return fmt.Errorf("%w (the cluster serves all its slots; run scale again to resume)", err)
		}
		if err := step(ctx, roles); err != nil {
			return err
		}
	}
	if err := provision.WriteSpecFile(ctx, sc.o.Docker, sc.h.cts, sc.want); err != nil {
		return err
	}
	st := sc.log.Start("Waiting for the cluster to be healthy")
	defer st.End(false)
	return st.Done(sc.l.waitHealthy(ctx, sc.want.Wait))
}

// load (re)reads the cluster: containers, spec, and every node's view.
func (sc *scaleRun) load(ctx context.Context) error {
	if sc.l != nil {
		sc.l.close()
		h, err := open(ctx, sc.h.spec.Name, sc.o)
		if err != nil {
			return err
		}
		sc.h = h
	}
	l, err := loadLive(ctx, sc.h, sc.o)
	if err != nil {
		return err
	}
	sc.l = l
	return l.requireAll()
}

func (sc *scaleRun) mover() *mover {
	return &mover{l: sc.l, opt: sc.so.Move.withDefaults(), log: sc.log}
}

// nodeRoles describes the running nodes, and the missing ones below keep
// as the empty masters they will start as.
func (sc *scaleRun) nodeRoles(keep int) []nodeRole {
	var out []nodeRole
	for _, m := range sc.l.members {
		r := nodeRole{Index: m.ct.Index, Master: m.master(), Slots: m.slots(), Follows: -1}
		if mm := sc.l.byID(m.self.MasterID); mm != nil && !m.master() {
			r.Follows = mm.ct.Index
		}
		out = append(out, r)
	}
	for i := 0; i < keep; i++ {
		if sc.l.byIndex(i) == nil {
			out = append(out, nodeRole{Index: i, Master: true, Follows: -1})
		}
	}
	return out
}

// promote fails over to replicas whose masters are going away: they keep
// the data, and nothing has to move for those slots.
func (sc *scaleRun) promote(ctx context.Context, roles rolePlan) error {
	for _, i := range roles.Promote {
		if err := promote(ctx, sc.l, sc.l.byIndex(i), FailoverOptions{}, sc.log); err != nil {
			return err
		}
		sc.res.Promoted = append(sc.res.Promoted, sc.l.byIndex(i).name())
	}
	return nil
}

// reset turns replicas that must become masters into empty masters.
func (sc *scaleRun) reset(ctx context.Context, roles rolePlan) error {
	if len(roles.Reset) == 0 {
		return nil
	}
	st := sc.log.Start("Turning %d replicas into empty masters", len(roles.Reset))
	defer st.End(false)
	ctx, cancel := finishing(ctx) // a node reset and not met again would be lost
	defer cancel()
	for _, i := range roles.Reset {
		m := sc.l.byIndex(i)
		if err := m.conn.ResetSoft(ctx); err != nil {
			return err
		}
		if err := m.conn.MeetAll(ctx, sc.peersOf(m)); err != nil {
			return err
		}
	}
	return st.Done(sc.l.waitSettled(ctx, sc.want.Wait))
}

func (sc *scaleRun) peersOf(m *member) []redisx.Peer {
	var out []redisx.Peer
	for _, o := range sc.l.members {
		if o != m {
			out = append(out, o.peerOf())
		}
	}
	return out
}

// moveSlots gives the chosen masters even shares and drains the others.
func (sc *scaleRun) moveSlots(ctx context.Context, roles rolePlan) error {
	if err := sc.l.refresh(ctx); err != nil {
		return err
	}
	var ids []string
	for _, i := range roles.Masters {
		ids = append(ids, sc.l.byIndex(i).id())
	}
	mv := sc.mover()
	stats, err := mv.run(ctx, planBalance(sc.l.owners(), ids))
	sc.res.Moved = stats
	if err != nil {
		return err
	}
	return mv.waitAgreement(ctx, sc.want.Wait)
}

// replicas makes every kept node that is not a chosen master replicate
// one, evenly; drained masters and new nodes are empty masters until now.
func (sc *scaleRun) replicas(ctx context.Context, roles rolePlan) error {
	var masters, others []*member
	for _, m := range sc.l.members {
		switch {
		case m.ct.Index >= sc.want.Nodes():
		case slices.Contains(roles.Masters, m.ct.Index):
			masters = append(masters, m)
		default:
			others = append(others, m)
		}
	}
	_, err := arrangeReplicas(ctx, sc.l, masters, others, sc.want.Wait, sc.log)
	return err
}

// holdNoKeys refuses to remove a master that still holds keys: its slots
// were all moved, so such keys are in slots that others serve now, and
// they may be the only copy (a move cut short by a failover of its
// source can leave them so). Removing the node would drop them; `heal`
// and scale again, or a look at the node, come first. Replicas follow
// their (drained) master and may lag a moment: they are not checked.
func holdNoKeys(ctx context.Context, gone []*member) error {
	for _, m := range gone {
		if !m.master() {
			continue
		}
		n, err := m.conn.DBSize(ctx)
		if err != nil {
			return fmt.Errorf("counting the keys of %s before removing it: %w", m.name(), err)
		}
		if n > 0 {
			return fmt.Errorf("node %s serves no slot but still holds %d keys: refusing to remove it, which would drop them; "+
				"run `redis-dock heal`, then scale again (or look at its keys with redis-cli first)", m.name(), n)
		}
	}
	return nil
}

// removeNodes forgets and removes every node past the new size.
func (sc *scaleRun) removeNodes(ctx context.Context, _ rolePlan) error {
	var gone []*member
	for _, m := range sc.l.members {
		if m.ct.Index >= sc.want.Nodes() {
			gone = append(gone, m)
		}
	}
	if err := holdNoKeys(ctx, gone); err != nil {
		return err
	}
	linger(ctx, gone, sc.so.Linger, sc.log)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w (the nodes to remove hold no slots; run scale again to remove them)", err)
	}
	fctx, cancel := finishing(ctx) // nodes half forgotten would come back by gossip
	defer cancel()
	if err := removeMembers(fctx, sc.l, gone, sc.o, sc.log); err != nil {
		return err
	}
	for _, m := range gone {
		sc.res.Removed = append(sc.res.Removed, m.name())
	}
	sc.h.cts = slices.DeleteFunc(sc.h.cts, func(c docker.Container) bool { return c.Index >= sc.want.Nodes() })
	return nil
}
