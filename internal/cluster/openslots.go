package cluster

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// openSlot is a slot that some node has in MIGRATING or IMPORTING state,
// as a move that was interrupted leaves it.
type openSlot struct {
	Slot      int
	Migrating map[string]string // node ID -> node ID it migrates to
	Importing map[string]string // node ID -> node ID it imports from
}

// parseOpen parses a CLUSTER NODES open-slot entry: [slot->-id] means
// migrating to id, [slot-<-id] importing from id.
func parseOpen(e string) (slot int, importing bool, peer string, ok bool) {
	e = strings.TrimSuffix(strings.TrimPrefix(e, "["), "]")
	for _, sep := range []string{"->-", "-<-"} {
		if a, b, found := strings.Cut(e, sep); found {
			s, err := strconv.Atoi(a)
			return s, sep == "-<-", b, err == nil
		}
	}
	return 0, false, "", false
}

// openSlots collects the open slots from every member's own line.
func (l *live) openSlots() []*openSlot {
	bySlot := map[int]*openSlot{}
	for _, m := range l.members {
		for _, e := range m.self.Open {
			s, importing, peer, ok := parseOpen(e)
			if !ok {
				continue
			}
			o := bySlot[s]
			if o == nil {
				o = &openSlot{Slot: s, Migrating: map[string]string{}, Importing: map[string]string{}}
				bySlot[s] = o
			}
			if importing {
				o.Importing[m.id()] = peer
			} else {
				o.Migrating[m.id()] = peer
			}
		}
	}
	out := make([]*openSlot, 0, len(bySlot))
	for _, o := range bySlot {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Slot < out[j].Slot })
	return out
}

// target is where an open slot's keys should end up: the node importing
// it, else the node it is migrating to, else its owner. An interrupted
// move is finished rather than undone: keys may already be on both sides.
func (o *openSlot) target(l *live, owner string) *member {
	var cands []string
	for id := range o.Importing {
		cands = append(cands, id)
	}
	sort.Strings(cands)
	for _, to := range o.Migrating {
		if _, ok := o.Importing[to]; ok {
			cands = append([]string{to}, cands...)
		} else {
			cands = append(cands, to)
		}
	}
	cands = append(cands, owner)
	for _, id := range cands {
		if m := l.byID(id); m != nil && m.master() {
			return m
		}
	}
	return nil
}

// repairOpenSlots finishes or closes every open slot, so a move that was
// interrupted is resumed before anything else is planned. It returns the
// number of slots it closed.
func repairOpenSlots(ctx context.Context, mv *mover) (int, error) {
	open := mv.l.openSlots()
	if len(open) == 0 {
		return 0, nil
	}
	st := mv.log.Start("Closing %d open slots left by an interrupted move", len(open))
	defer st.End(false)
	owners := mv.l.owners()
	if err := mv.alignOwners(ctx, open, owners); err != nil {
		return 0, err
	}
	mv.waitStatesOK(ctx)
	var resume []batch
	for _, o := range open {
		to := o.target(mv.l, owners[o.Slot])
		if to == nil {
			return 0, fmt.Errorf("slot %d is open but none of the nodes it names is a running master; fix it by hand", o.Slot)
		}
		if from := o.plainMove(mv.l, owners[o.Slot], to); from != nil {
			resume = addToBatch(resume, from, to, o.Slot)
			continue
		}
		if err := repairOne(ctx, mv, o, to); err != nil {
			return 0, fmt.Errorf("failed to close slot %d: %w", o.Slot, err)
		}
	}
	for _, b := range resume {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := mv.moveBatch(ctx, b); err != nil {
			return 0, err
		}
	}
	if err := mv.l.refresh(ctx); err != nil {
		return 0, err
	}
	st.End(true)
	return len(open), nil
}

// alignOwners tells every member that has a slot's owner wrong (or
// none) who owns it now, the owner being the master that claims it. A
// node importing a slot ignores the claim of a replica that took over the
// slot's source, and a node drops every slot of a master that comes back
// as a replica; either way its state can turn fail ("CLUSTERDOWN") and
// it refuses every key MIGRATE brings, so no open slot could be closed.
// Only the open slots must be put right; for the others a refusal is
// left to gossip. Replicas are left out: Redis refuses SETSLOT on them,
// and they take the slot map from their master.
func (mv *mover) alignOwners(ctx context.Context, open []*openSlot, owners [16384]string) error {
	isOpen := map[int]bool{}
	for _, o := range open {
		isOpen[o.Slot] = true
	}
	for _, m := range mv.l.masters() {
		var seen [16384]string
		for _, n := range m.view {
			for _, r := range n.Slots {
				for s := r[0]; s <= r[1]; s++ {
					seen[s] = n.ID
				}
			}
		}
		fix := map[string][]int{}
		for s, owner := range owners {
			if owner != "" && owner != m.id() && seen[s] != owner && seen[s] != m.id() {
				fix[owner] = append(fix[owner], s)
			}
		}
		for owner, slots := range fix {
			mv.log.V(1, "   %s: %d slots (%d-%d) belong to %s", m.name(), len(slots), slots[0], slots[len(slots)-1], owner)
			if err := m.conn.SetSlots(ctx, slots, "NODE", owner); err != nil {
				if slices.ContainsFunc(slots, func(s int) bool { return isOpen[s] }) {
					return fmt.Errorf("telling %s who owns slots %d-%d: %w", m.name(), slots[0], slots[len(slots)-1], err)
				}
				mv.log.V(1, "   %v (gossip will tell it)", err)
			}
		}
	}
	_ = mv.l.refresh(ctx) // a member that stopped answering shows in what follows
	return nil
}

// waitStatesOK waits, for a bounded time, until every member reports
// cluster_state:ok. A node that was just restarted (heal starts a killed
// one) and the nodes that marked it failing refuse MIGRATE's RESTORE with
// CLUSTERDOWN until then: the rejoin delay and the failure's undo time
// are both a few node timeouts. Past the bound the repair goes on, and
// its error says what is wrong.
func (mv *mover) waitStatesOK(ctx context.Context) {
	l := mv.l
	bound := 3*time.Duration(l.spec.NodeTimeout)*time.Millisecond + 5*time.Second
	if err := l.waitFor(ctx, bound, func() string { return l.statesOK(ctx) }); err != nil {
		mv.log.V(1, "   %v; closing the open slots anyway", err)
	}
}

// plainMove returns the source when slot o is open only as a move from
// its owner to "to" left it (MIGRATING on the owner, IMPORTING on the
// target, or one of the two): such slots resume as a batch.
func (o *openSlot) plainMove(l *live, owner string, to *member) *member {
	from := l.byID(owner)
	if from == nil || from == to || !from.master() {
		return nil
	}
	for id, dst := range o.Migrating {
		if id != owner || dst != to.id() {
			return nil
		}
	}
	for id, src := range o.Importing {
		if id != to.id() || src != owner {
			return nil
		}
	}
	return from
}

func addToBatch(bs []batch, from, to *member, slot int) []batch {
	for i := range bs {
		if bs[i].from == from && bs[i].to == to {
			bs[i].slots = append(bs[i].slots, slot)
			return bs
		}
	}
	return append(bs, batch{from: from, to: to, slots: []int{slot}})
}

// repairOne repairs one slot; once started, an interrupt does not stop it.
func repairOne(ctx context.Context, mv *mover, o *openSlot, to *member) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx, cancel := finishing(ctx)
	defer cancel()
	return repairSlot(ctx, mv, o, to)
}

// repairSlot moves the keys of slot o from every other master to "to",
// then assigns the slot to it everywhere, which closes all states.
func repairSlot(ctx context.Context, mv *mover, o *openSlot, to *member) error {
	s := []int{o.Slot}
	owner := mv.l.owners()[o.Slot]
	// Importing makes the target accept the keys, and its SETSLOT NODE
	// then bumps its epoch, so every node takes its claim.
	// A target left importing from a master that has since failed over
	// (or that took the slot from its own map when the failover's claim
	// came) would refuse the keys with CLUSTERDOWN: it learns the owner
	// first, then imports from it.
	if owner != to.id() && owner != "" {
		if viewOwner(to, o.Slot) != owner {
			if err := to.conn.SetSlots(ctx, s, "NODE", owner); err != nil {
				return err
			}
		}
		if o.Importing[to.id()] != owner {
			if err := to.conn.SetSlots(ctx, s, "IMPORTING", owner); err != nil {
				return err
			}
		}
	}
	var sources []*member
	for _, m := range mv.l.masters() {
		if m == to {
			continue
		}
		n, err := m.conn.CountKeysInSlots(ctx, s)
		if err != nil {
			return err
		}
		if n[0] == 0 {
			continue
		}
		sources = append(sources, m)
		if owner == "" && o.Importing[to.id()] == "" {
			if err := to.conn.SetSlots(ctx, s, "IMPORTING", m.id()); err != nil {
				return err
			}
		}
		if o.Migrating[m.id()] != to.id() {
			if err := m.conn.SetSlots(ctx, s, "MIGRATING", to.id()); err != nil {
				return err
			}
		}
		if err := mv.drain(ctx, m, to, s); err != nil {
			return err
		}
	}
	for id := range o.Importing {
		if m := mv.l.byID(id); m != nil && m != to {
			if err := m.conn.SetSlots(ctx, s, "STABLE", ""); err != nil {
				return err
			}
		}
	}
	var first []*member
	for id := range o.Migrating {
		if m := mv.l.byID(id); m != nil && m != to {
			first = append(first, m)
		}
	}
	for _, m := range sources {
		if o.Migrating[m.id()] == "" {
			first = append(first, m)
		}
	}
	mv.log.V(2, "   slot %d: keys moved to %s, assigning it there", o.Slot, to.name())
	return mv.assign(ctx, to, s, first...)
}

// viewOwner is the node that m's view gives slot to ("" for none).
func viewOwner(m *member, slot int) string {
	for _, n := range m.view {
		for _, r := range n.Slots {
			if r[0] <= slot && slot <= r[1] {
				return n.ID
			}
		}
	}
	return ""
}
