package cluster

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis-dock/redis-dock/internal/redisx"

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
		hr.o.Log().Warnf("%d slots are served by no running master; `heal --cover-slots` assigns them", len(slots))
		return nil
	}
	plan, err := hr.planCover(ctx, slots)
	if err != nil {
		return err
	}
	hr.res.Lost = hr.lost(slots, plan)
	for _, ls := range hr.res.Lost {
		hr.o.Log().Warnf("%s", ls)
	}
	st := hr.o.Log().Start("Covering %d slots", len(slots))
	defer st.End(false)
	mv := &mover{l: hr.l, opt: hr.ho.Move.withDefaults(), log: hr.o.Log()}
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

// LostSlots are slots heal --cover-slots gave to a running master whose
// keys lived only on a node that is gone: those keys are lost. A dead
// node cannot be asked which keys it held, so they are named by slot.
type LostSlots struct {
	Node  string `json:"node"`  // the dead owner: container name, else node ID ("" when no node claimed them)
	Slots string `json:"slots"` // ranges, e.g. "0-5460,7000"
	Count int    `json:"count"` // number of slots
	Kept  int64  `json:"kept"`  // keys of these slots found on running masters, kept
}

func (ls LostSlots) String() string {
	who := "no node"
	if ls.Node != "" {
		who = "node " + ls.Node + ", which is gone"
	}
	return fmt.Sprintf("%d slots (%s) were served only by %s: every key of theirs that lived there is lost "+
		"(a dead node cannot say how many); %d keys of these slots found on running masters are kept", ls.Count, ls.Slots, who, ls.Kept)
}

// lost groups the slots to cover by their dead owner, with the keys of
// them that running masters hold (counted for the plan).
func (hr *healRun) lost(slots []int, plan map[*member][]int) []LostSlots {
	owner := map[int]string{}
	for _, m := range hr.l.members {
		for _, n := range m.view {
			if n.Has("myself") {
				continue
			}
			for _, r := range n.Slots {
				for s := r[0]; s <= r[1]; s++ {
					owner[s] = hr.deadName(n)
				}
			}
		}
	}
	kept := map[int]int64{}
	for to, ss := range plan {
		n, err := to.conn.CountKeysInSlots(context.Background(), ss)
		if err != nil {
			continue
		}
		for i, s := range ss {
			kept[s] = n[i]
		}
	}
	by := map[string]*LostSlots{}
	var order []string
	for _, s := range slots {
		who := owner[s]
		ls := by[who]
		if ls == nil {
			ls = &LostSlots{Node: who}
			by[who] = ls
			order = append(order, who)
		}
		ls.Count++
		ls.Kept += kept[s]
		ls.Slots = addRange(ls.Slots, s)
	}
	out := make([]LostSlots, 0, len(order))
	for _, who := range order {
		out = append(out, *by[who])
	}
	return out
}

// deadName names a node seen in a view: its container when one has its
// port, else its node ID.
func (hr *healRun) deadName(n redisx.ClusterNode) string {
	for _, c := range hr.l.h.cts {
		if c.Port == n.Port {
			return fmt.Sprintf("%s (%s)", c.Name, n.ID)
		}
	}
	return n.ID
}

// addRange appends slot s (slots come in order) to ranges like "0-5,9".
func addRange(ranges string, s int) string {
	if ranges == "" {
		return strconv.Itoa(s)
	}
	i := strings.LastIndexAny(ranges, ",-")
	last, _ := strconv.Atoi(ranges[i+1:])
	if last == s-1 {
		if i >= 0 && ranges[i] == '-' {
			return ranges[:i+1] + strconv.Itoa(s)
		}
		return ranges + "-" + strconv.Itoa(s)
	}
	return ranges + "," + strconv.Itoa(s)
}
