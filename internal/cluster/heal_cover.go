package cluster

import (
	"context"

	"github.com/redis-dock/redis-dock/internal/topology"
)

// uncovered lists the slots that no answering master serves, leaving out
// slots whose owner still has a replica here: its failover will cover
// them.
func (hr *healRun) uncovered() []int {
	served := hr.l.owners()
	claimed := map[int]string{}
	for _, m := range hr.l.members {
		for _, n := range m.view {
			for _, r := range n.Slots {
				for s := r[0]; s <= r[1]; s++ {
					if served[s] == "" {
						claimed[s] = n.ID
					}
				}
			}
		}
	}
	hasReplica := map[string]bool{}
	for _, m := range hr.l.members {
		if !m.master() {
			hasReplica[m.self.MasterID] = true
		}
	}
	var out []int
	for s := 0; s < topology.SlotCount; s++ {
		if served[s] == "" && !hasReplica[claimed[s]] {
			out = append(out, s)
		}
	}
	return out
}

// cover assigns uncovered slots, when asked: each to the master that holds
// keys of it, else to the master with the fewest slots. SETSLOT NODE on
// every master, and a new epoch for the taker, make the claim win over a
// dead owner's.
func (hr *healRun) cover(ctx context.Context) error {
	slots := hr.uncovered()
	hr.res.Uncovered = len(slots)
	if len(slots) == 0 {
		return nil
	}
	if !hr.ho.CoverSlots {
		hr.o.log().Warnf("%d slots are served by no running master; `heal --cover-slots` assigns them", len(slots))
		return nil
	}
	plan, err := hr.planCover(ctx, slots)
	if err != nil {
		return err
	}
	st := hr.o.log().Start("Covering %d slots", len(slots))
	defer st.End(false)
	mv := &mover{l: hr.l, opt: hr.ho.Move.withDefaults(), log: hr.o.log()}
	for to, ss := range plan {
		if err := to.conn.SetSlots(ctx, ss, "NODE", to.id()); err != nil {
			return err
		}
		if err := to.conn.BumpEpoch(ctx); err != nil {
			return err
		}
		if err := mv.assign(ctx, to, ss); err != nil {
			return err
		}
	}
	hr.res.Covered, hr.res.Uncovered = len(slots), 0
	st.End(true)
	return nil
}

// planCover picks a master for every slot.
func (hr *healRun) planCover(ctx context.Context, slots []int) (map[*member][]int, error) {
	var masters []*member
	for _, m := range hr.l.masters() {
		if !m.self.Failing() {
			masters = append(masters, m)
		}
	}
	keys := map[*member][]int64{}
	count := map[*member]int{}
	for _, m := range masters {
		n, err := m.conn.CountKeysInSlots(ctx, slots)
		if err != nil {
			return nil, err
		}
		keys[m], count[m] = n, m.slots()
	}
	plan := map[*member][]int{}
	for i, s := range slots {
		var best *member
		for _, m := range masters {
			switch {
			case best == nil:
				best = m
			case keys[m][i] != keys[best][i]:
				if keys[m][i] > keys[best][i] {
					best = m
				}
			case count[m] < count[best]:
				best = m
			}
		}
		if best == nil {
			break
		}
		plan[best] = append(plan[best], s)
		count[best]++
	}
	return plan, nil
}
