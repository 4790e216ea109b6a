package cluster

import (
	"context"
	"fmt"
	"time"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// RebalanceOptions shape a rebalance.
type RebalanceOptions struct {
	// UseEmptyMasters gives masters without slots a share too (as
	// `redis-cli --cluster rebalance --cluster-use-empty-masters`).
	UseEmptyMasters bool
	Move            MoveOptions
	Wait            time.Duration // for the cluster to settle (default 60s)
}

// RebalanceResult is what a rebalance did.
type RebalanceResult struct {
	Masters int
	Closed  int // open slots closed first
	Moved   MoveStats
	Elapsed time.Duration
}

// Rebalance moves slots, with their keys, until every master owns an even
// share (within one slot). Open slots left by an interrupted move are
// closed first.
func Rebalance(ctx context.Context, name string, ro RebalanceOptions, o Options) (*RebalanceResult, error) {
	begin := time.Now()
	l, mv, err := openForMoves(ctx, name, ro.Move, o)
	if err != nil {
		return nil, err
	}
	defer l.close()
	res := &RebalanceResult{}
	if res.Closed, err = repairOpenSlots(ctx, mv); err != nil {
		return nil, err
	}
	var ids []string
	for _, m := range l.masters() {
		if m.slots() > 0 || (ro.UseEmptyMasters && !m.self.Failing()) {
			ids = append(ids, m.id())
		}
	}
	res.Masters = len(ids)
	res.Moved, err = mv.run(ctx, planBalance(l.owners(), ids))
	if err != nil {
		return nil, err
	}
	if err := settle(ctx, mv, ro.Wait); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(begin)
	return res, nil
}

// ReshardOptions say which slots to move: Slots slots (all when 0) from
// the master on port From to the master on port To.
type ReshardOptions struct {
	From, To int
	Slots    int
	Move     MoveOptions
	Wait     time.Duration
}

// Reshard moves slots from one master to another, as `redis-cli --cluster
// reshard --cluster-from --cluster-to --cluster-slots` does: the source's
// highest slots go.
func Reshard(ctx context.Context, name string, ro ReshardOptions, o Options) (MoveStats, error) {
	l, mv, err := openForMoves(ctx, name, ro.Move, o)
	if err != nil {
		return MoveStats{}, err
	}
	defer l.close()
	if _, err := repairOpenSlots(ctx, mv); err != nil {
		return MoveStats{}, err
	}
	from, to := l.byPort(ro.From), l.byPort(ro.To)
	if from == nil || to == nil || !from.master() || !to.master() || from == to {
		return MoveStats{}, fmt.Errorf("--from %d and --to %d must be two different masters of cluster %q", ro.From, ro.To, name)
	}
	var moves []slotMove
	owners := l.owners()
	for s := len(owners) - 1; s >= 0 && (ro.Slots <= 0 || len(moves) < ro.Slots); s-- {
		if owners[s] == from.id() {
			moves = append(moves, slotMove{Slot: s, From: from.id(), To: to.id()})
		}
	}
	stats, err := mv.run(ctx, moves)
	if err != nil {
		return stats, err
	}
	return stats, settle(ctx, mv, ro.Wait)
}

// openForMoves opens a cluster whose nodes all run and answer, and a
// mover over it.
func openForMoves(ctx context.Context, name string, mo MoveOptions, o Options) (*live, *mover, error) {
	h, err := openCluster(ctx, name, "moving slots", o)
	if err != nil {
		return nil, nil, err
	}
	l, err := loadLive(ctx, h, o)
	if err != nil {
		return nil, nil, err
	}
	if err := l.requireAll(); err != nil {
		l.close()
		return nil, nil, err
	}
	return l, &mover{l: l, opt: mo.withDefaults(), log: o.Log()}, nil
}

// settle waits until every node agrees on the new slot map and the
// cluster is healthy, as a step of its own: the last check a command
// makes shows in its output.
func settle(ctx context.Context, mv *mover, wait time.Duration) error {
	if wait <= 0 {
		wait = spec.Default().Wait
	}
	st := mv.log.Start("Waiting for the cluster to be healthy")
	defer st.End(false)
	if err := mv.waitAgreement(ctx, wait); err != nil {
		return err
	}
	return st.Done(mv.l.waitHealthy(ctx, wait))
}

func (l *live) byPort(port int) *member {
	for _, m := range l.members {
		if m.ct.Port == port {
			return m
		}
	}
	return nil
}
