package cluster

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/redis-dock/redis-dock/internal/topology"
)

// agree tells every node that has a slot's owner wrong who owns it, for
// every slot, not only the open ones. A node that missed a failover's or
// a move's claim (it was paused, or killed and started again while the
// others moved on) can keep a slot map of its own, and with it
// cluster_state:fail, for longer than gossip takes to put it right: its
// peers do not resend an old claim. A master that still claims a slot
// the others gave to another master lets it go when it holds no key of
// it; with keys it is left alone (nothing stored is dropped) and named.
func (hr *healRun) agree(ctx context.Context) error {
	return (&mover{l: hr.l, opt: hr.ho.Move.withDefaults(), log: hr.o.Log()}).agree(ctx)
}

// agree is heal's step, also taken by a move whose nodes do not agree
// on the slot map soon after it (settle).
func (mv *mover) agree(ctx context.Context) error {
	l, log := mv.l, mv.log
	owners := l.agreedOwners()
	wrong, held := l.viewsOff(owners)
	bump := l.replicasOff(owners)
	forgot := l.forgotten(owners)
	if wrong == 0 && len(held) == 0 && len(bump) == 0 && len(forgot) == 0 {
		return nil
	}
	st := log.Start("Telling %d nodes who owns the slots they have wrong", wrong+len(held)+len(bump)+len(forgot))
	// a replica takes no SETSLOT: the owner it missed claims its slots
	// again with a new, highest config epoch, which every node takes
	for _, m := range bump {
		log.V(1, "   %s claims its slots again with a new config epoch (a replica missed its claim)", m.name())
		if err := m.conn.BumpEpoch(ctx); err != nil {
			return err
		}
	}
	defer st.End(false)
	for m, slots := range forgot {
		slots, err := mv.keptElsewhere(ctx, m, slots)
		if err != nil {
			return err
		}
		if len(slots) == 0 {
			continue
		}
		log.V(1, "   %s takes back %d slots (%d-%d) that every other node gives it", m.name(), len(slots), slots[0], slots[len(slots)-1])
		if err := m.conn.SetSlots(ctx, slots, "NODE", m.id()); err != nil {
			return fmt.Errorf("telling %s that it owns slots %d-%d, as every other node says: %w", m.name(), slots[0], slots[len(slots)-1], err)
		}
	}
	if err := mv.alignOwners(ctx, l.openSlots(), owners); err != nil {
		return err
	}
	for m, slots := range held {
		n, err := m.conn.CountKeysInSlots(ctx, slots)
		if err != nil {
			return fmt.Errorf("counting the keys %s holds in slots it claims against the others: %w", m.name(), err)
		}
		var empty []int
		for i, s := range slots {
			if n[i] == 0 {
				empty = append(empty, s)
			} else {
				log.Warnf("%s claims slot %d, which the others give to %s, and holds %d keys of it: left as it is",
					m.name(), s, l.nameOf(m, owners[s]), n[i])
			}
		}
		byOwner := map[string][]int{}
		for _, s := range empty {
			byOwner[owners[s]] = append(byOwner[owners[s]], s)
		}
		for owner, ss := range byOwner {
			log.V(1, "   %s gives up %d slots (%d-%d) to %s", m.name(), len(ss), ss[0], ss[len(ss)-1], l.nameOf(m, owner))
			if err := m.conn.SetSlots(ctx, ss, "NODE", owner); err != nil {
				return fmt.Errorf("telling %s that %s owns slots %d-%d: %w", m.name(), l.nameOf(m, owner), ss[0], ss[len(ss)-1], err)
			}
		}
	}
	_ = l.refresh(ctx)
	st.End(true)
	return nil
}

// waitAgreement waits, after a move, until every node sees the same
// slot map. Gossip spreads a move's claims within moments; a node that
// missed one it will not take from gossip is told (agree), and the wait
// goes on.
func (mv *mover) waitAgreement(ctx context.Context, wait time.Duration) error {
	first := min(wait, 2*time.Duration(mv.l.spec.NodeTimeout)*time.Millisecond+2*time.Second)
	err := mv.l.waitAgreement(ctx, first)
	if err == nil || ctx.Err() != nil {
		return err
	}
	mv.log.V(1, "   %v", err)
	if err := mv.agree(ctx); err != nil {
		return err
	}
	return mv.l.waitAgreement(ctx, max(wait-first, 5*time.Second))
}

// agreedOwners is, for every slot, the master that claims it; where two
// masters claim one slot, the one with the higher config epoch, as Redis
// decides (so heal only hastens what gossip would do), and on a tie the
// one that more members' views give it to.
func (l *live) agreedOwners() [topology.SlotCount]string {
	var out [topology.SlotCount]string
	claims := map[int][]*member{}
	for _, m := range l.masters() {
		for _, r := range m.self.Slots {
			for s := r[0]; s <= r[1]; s++ {
				claims[s] = append(claims[s], m)
				out[s] = m.id()
			}
		}
	}
	for s, ms := range claims {
		if len(ms) < 2 {
			continue
		}
		votes := map[string]int{}
		for _, v := range l.members {
			votes[viewOwner(v, s)]++
		}
		best := slices.MaxFunc(ms, func(a, b *member) int {
			if a.self.ConfigEpoch != b.self.ConfigEpoch {
				return cmp.Compare(a.self.ConfigEpoch, b.self.ConfigEpoch)
			}
			return votes[a.id()] - votes[b.id()]
		})
		out[s] = best.id()
	}
	return out
}

// viewsOff counts the masters whose view gives a slot to another node
// than owners says (leaving out the slots they claim themselves), and
// lists, per master, the slots it claims that owners gives to another.
// Replicas are left out: they take no SETSLOT and follow their master.
func (l *live) viewsOff(owners [topology.SlotCount]string) (int, map[*member][]int) {
	wrong, held := 0, map[*member][]int{}
	for _, m := range l.masters() {
		off := false
		for s, owner := range owners {
			if owner == "" {
				continue
			}
			switch o := viewOwner(m, s); {
			case o == m.id() && owner != m.id():
				held[m] = append(held[m], s)
			case o != owner && o != m.id() && owner != m.id():
				off = true
			}
		}
		if off {
			wrong++
		}
	}
	return wrong, held
}

// keptElsewhere leaves out of slots (which m let go in its own map) those
// whose keys another master holds: giving m such a slot would leave those
// keys where no client is sent (and a later claim could drop them), so
// they are named and left for a human, who can see where they are.
func (mv *mover) keptElsewhere(ctx context.Context, m *member, slots []int) ([]int, error) {
	keep := make([]bool, len(slots))
	for _, o := range mv.l.masters() {
		if o == m {
			continue
		}
		n, err := o.conn.CountKeysInSlots(ctx, slots)
		if err != nil {
			return nil, fmt.Errorf("counting the keys %s holds in slots %s let go: %w", o.name(), m.name(), err)
		}
		for i, c := range n {
			if c > 0 && !keep[i] {
				keep[i] = true
				mv.log.Warnf("slot %d: every node gives it to %s, whose own map has it unassigned, and %s holds %d keys of it: left as it is",
					slots[i], m.name(), o.name(), c)
			}
		}
	}
	var out []int
	for i, s := range slots {
		if !keep[i] {
			out = append(out, s)
		}
	}
	return out, nil
}

// forgotten lists, per master, the slots no master claims that every
// other member's view gives to that master while its own map has them
// unassigned: it let them go (a move's SETSLOT it took while the others
// kept it as the owner, undone under a fault) and reports
// cluster_state:fail, while every other node sends clients to it.
// Telling it that it owns them is what the rest already believe.
func (l *live) forgotten(owners [topology.SlotCount]string) map[*member][]int {
	out := map[*member][]int{}
	for s, owner := range owners {
		if owner != "" {
			continue
		}
		var m *member
		for _, v := range l.members {
			if o := viewOwner(v, s); o != "" {
				m = l.byID(o)
				break
			}
		}
		if m == nil || !m.master() || viewOwner(m, s) != "" {
			continue
		}
		all := true
		for _, v := range l.members {
			if v != m && viewOwner(v, s) != m.id() {
				all = false
				break
			}
		}
		if all {
			out[m] = append(out[m], s)
		}
	}
	return out
}

// replicasOff lists the masters owning a slot that some replica's view
// gives to another node: gossip does not change a replica's mind when
// the owner it knows has a config epoch as high as the claimant's.
func (l *live) replicasOff(owners [topology.SlotCount]string) []*member {
	var out []*member
	for _, m := range l.members {
		if m.master() {
			continue
		}
		for s, owner := range owners {
			if owner == "" || viewOwner(m, s) == owner {
				continue
			}
			if o := l.byID(owner); o != nil && !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
	return out
}
