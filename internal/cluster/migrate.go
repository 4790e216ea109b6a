package cluster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/status"
)

// MoveOptions tune how slots move; zero values take the defaults.
type MoveOptions struct {
	KeysPerMigrate int           // keys per MIGRATE and per GETKEYSINSLOT (default 128)
	SlotsPerBatch  int           // slots opened at once between one source and one target (default 256)
	KeysPerBatch   int64         // a batch stops growing at this many keys (default 10000)
	Parallel       int           // sources moving at the same time (default 2)
	ProgressEvery  time.Duration // progress line interval (default 2s)
}

func (o MoveOptions) withDefaults() MoveOptions {
	if o.KeysPerMigrate <= 0 {
		o.KeysPerMigrate = 128
	}
	if o.SlotsPerBatch <= 0 {
		o.SlotsPerBatch = 256
	}
	if o.KeysPerBatch <= 0 {
		o.KeysPerBatch = 10000
	}
	if o.Parallel <= 0 {
		o.Parallel = 2
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 2 * time.Second
	}
	return o
}

// MoveStats is what moving slots did.
type MoveStats struct {
	Slots   int
	Keys    int64
	Elapsed time.Duration
}

// KeysPerSecond is the rate keys moved at.
func (s MoveStats) KeysPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Keys) / s.Elapsed.Seconds()
}

// migrateTimeout is MIGRATE's own I/O timeout towards the target.
const migrateTimeout = 10 * time.Second

// mover moves slots between masters, a batch of slots at a time:
// IMPORTING on the target, MIGRATING on the source, then pipelines of
// MIGRATE (one per slot) and GETKEYSINSLOT until the slots are empty,
// then SETSLOT NODE on the target, the source and every other master.
// A slot is open only while its batch moves.
type mover struct {
	l    *live
	opt  MoveOptions
	log  *status.Logger
	prog *progress
}

// batch is slots moving together from one master to another.
type batch struct {
	from, to *member
	slots    []int
	keys     int64
}

// run moves the planned slots and reports what it did.
func (mv *mover) run(ctx context.Context, moves []slotMove) (MoveStats, error) {
	begin := time.Now()
	if len(moves) == 0 {
		return MoveStats{}, nil
	}
	batches, keys, err := mv.plan(ctx, moves)
	if err != nil {
		return MoveStats{}, err
	}
	st := mv.log.Start("Moving %d slots (%d keys)", len(moves), keys)
	defer st.End(false)
	mv.prog = startProgress(mv.log, len(moves), keys, mv.opt.ProgressEvery)
	err = mv.runBatches(ctx, batches)
	mv.prog.stop()
	stats := MoveStats{Slots: int(mv.prog.slots.Load()), Keys: mv.prog.keys.Load(), Elapsed: time.Since(begin)}
	if err != nil {
		return stats, fmt.Errorf("%w (moved %d of %d slots; %srun the command again to resume)", err, stats.Slots, len(moves), mv.silent(ctx))
	}
	st.End(true)
	return stats, nil
}

// silent names the members that stopped answering, for a move's error:
// a node killed or hung in the middle of a move is what stops it most
// often, and heal is what brings it back.
func (mv *mover) silent(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = mv.l.refresh(ctx)
	var names []string
	for _, m := range mv.l.members {
		if m.err != nil {
			names = append(names, m.name())
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("node %s does not answer: `redis-dock heal --name %s` starts it, then ", strings.Join(names, ", "), mv.l.spec.Name)
}

// runBatches runs each source's batches in order, a few sources at once.
// When ctx ends (an interrupt) or a source fails, no new batch opens, but
// the batches in flight finish (see finishing): no slot is left open.
func (mv *mover) runBatches(ctx context.Context, batches []batch) error {
	bySource := map[*member][]batch{}
	var sources []*member
	for _, b := range batches {
		if _, ok := bySource[b.from]; !ok {
			sources = append(sources, b.from)
		}
		bySource[b.from] = append(bySource[b.from], b)
	}
	stop, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var g errgroup.Group
	g.SetLimit(mv.opt.Parallel)
	for _, src := range sources {
		g.Go(func() error {
			err := mv.moveAll(stop, bySource[src])
			if err != nil {
				cancel(err) // the other sources stop with this error as the cause
			}
			return err
		})
	}
	err := g.Wait()
	if ctx.Err() != nil {
		mv.log.Infof(" • Interrupted: the slot batches in flight were finished, no slot is left open; run the command again to resume")
	}
	return err
}

// moveAll moves one source's batches in order, until stop ends. A
// batch's SETSLOT NODE round runs while the next batch drains: they touch
// other slots, and each takes about as long as the other.
func (mv *mover) moveAll(stop context.Context, bs []batch) error {
	var assigning chan error
	wait := func() error {
		if assigning == nil {
			return nil
		}
		err := <-assigning
		assigning = nil
		return err
	}
	for _, b := range bs {
		if err := stop.Err(); err != nil {
			return errors.Join(context.Cause(stop), wait())
		}
		ctx, cancel := finishing(stop)
		err := mv.openAndDrain(ctx, b)
		cancel()
		if err != nil {
			return errors.Join(err, wait())
		}
		if err := wait(); err != nil {
			return err
		}
		assigning = make(chan error, 1)
		go func() {
			ctx, cancel := finishing(stop)
			defer cancel()
			assigning <- mv.assign(ctx, b.to, b.slots, b.from)
		}()
	}
	return wait()
}

// finishBound bounds work that finishes after an interrupt.
const finishBound = 2 * time.Minute

// finishing is ctx without its cancellation, bounded: work that must not
// stop half-way (a slot batch, a MEET round, CLUSTER FORGET on every
// node) runs to its end after an interrupt.
func finishing(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), finishBound)
}

// plan counts the keys of every slot to move (one pipeline per source)
// and cuts the moves into batches.
func (mv *mover) plan(ctx context.Context, moves []slotMove) ([]batch, int64, error) {
	bySource := map[string][]int{}
	for _, m := range moves {
		bySource[m.From] = append(bySource[m.From], m.Slot)
	}
	counts := map[int]int64{}
	var total int64
	for id, slots := range bySource {
		src := mv.l.byID(id)
		if src == nil {
			return nil, 0, fmt.Errorf("slot owner %s is not a running node of cluster %q", id, mv.l.spec.Name)
		}
		n, err := src.conn.CountKeysInSlots(ctx, slots)
		if err != nil {
			return nil, 0, err
		}
		for i, s := range slots {
			counts[s] = n[i]
			total += n[i]
		}
	}
	var out []batch
	for _, m := range moves {
		to := mv.l.byID(m.To)
		if to == nil {
			return nil, 0, fmt.Errorf("target %s is not a running node of cluster %q", m.To, mv.l.spec.Name)
		}
		last := len(out) - 1
		if last < 0 || out[last].from.id() != m.From || out[last].to != to ||
			len(out[last].slots) >= mv.opt.SlotsPerBatch || out[last].keys >= mv.opt.KeysPerBatch {
			out = append(out, batch{from: mv.l.byID(m.From), to: to})
			last++
		}
		out[last].slots = append(out[last].slots, m.Slot)
		out[last].keys += counts[m.Slot]
	}
	return out, total, nil
}

// moveBatch moves one batch: open, drain, assign; once started, an
// interrupt does not stop it (see finishing).
func (mv *mover) moveBatch(ctx context.Context, b batch) error {
	ctx, cancel := finishing(ctx)
	defer cancel()
	if err := mv.openAndDrain(ctx, b); err != nil {
		return err
	}
	return mv.assign(ctx, b.to, b.slots, b.from)
}

// openAndDrain opens the batch's slots (IMPORTING on the target first, so
// the source's ASK redirects are accepted) and moves their keys.
func (mv *mover) openAndDrain(ctx context.Context, b batch) error {
	if err := b.to.conn.SetSlots(ctx, b.slots, "IMPORTING", b.from.id()); err != nil {
		return err
	}
	if err := b.from.conn.SetSlots(ctx, b.slots, "MIGRATING", b.to.id()); err != nil {
		return err
	}
	return mv.drain(ctx, b.from, b.to, b.slots)
}

// drain migrates every key of slots from one node to another. Each round
// is one pipeline: the MIGRATEs of the keys listed last round, then a
// fresh listing, so the loop ends exactly when the listing is empty.
func (mv *mover) drain(ctx context.Context, from, to *member, slots []int) error {
	t := redisx.Target{Host: to.peer, Port: to.ct.Port, User: mv.l.spec.AdminUser(), Password: mv.l.spec.Password, Timeout: migrateTimeout}
	var pending []redisx.SlotKeys
	list := slots
	for {
		left, err := from.conn.MigrateAndList(ctx, t, pending, list, mv.opt.KeysPerMigrate)
		if err != nil {
			return err
		}
		n := 0
		for _, p := range pending {
			n += len(p.Keys)
		}
		if mv.prog != nil {
			mv.prog.addKeys(n)
		}
		if len(left) == 0 {
			return nil
		}
		if sameKeys(left, pending) {
			return fmt.Errorf("keys of slot %d stay on %s after MIGRATE to %s", left[0].Slot, from.name(), to.name())
		}
		pending, list = left, list[:0:0]
		for _, p := range left {
			list = append(list, p.Slot)
		}
	}
}

func sameKeys(a, b []redisx.SlotKeys) bool {
	return slices.EqualFunc(a, b, func(x, y redisx.SlotKeys) bool { return x.Slot == y.Slot && slices.Equal(x.Keys, y.Keys) })
}

// assign gives slots to the target: on the target first (so the source's
// ASK redirects land on the owner), then on the nodes named in first
// (the source: this closes its MIGRATING state and must succeed), then on
// every other master, best effort: gossip would tell them too.
func (mv *mover) assign(ctx context.Context, to *member, slots []int, first ...*member) error {
	if err := to.conn.SetSlots(ctx, slots, "NODE", to.id()); err != nil {
		return err
	}
	for _, m := range first {
		if err := m.conn.SetSlots(ctx, slots, "NODE", to.id()); err != nil && !redisx.IsNotMaster(err) {
			return err
		}
	}
	var others []*member
	for _, m := range mv.l.members {
		if m != to && !slices.Contains(first, m) && m.master() {
			others = append(others, m)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, m := range others {
		g.Go(func() error {
			if err := m.conn.SetSlots(gctx, slots, "NODE", to.id()); err != nil {
				mv.log.V(2, "   %v (gossip will tell it)", err)
			}
			return nil
		})
	}
	_ = g.Wait()
	if mv.prog != nil {
		mv.prog.addSlots(len(slots))
	}
	return nil
}
