package cluster

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/redis-dock/redis-dock/internal/topology"
)

// ownersOf lays out ranges as `up` would for the given ids, one range each.
func ownersOf(ids ...string) [topology.SlotCount]string {
	var o [topology.SlotCount]string
	for i, r := range topology.SplitSlots(len(ids)) {
		for s := r.Start; s <= r.End; s++ {
			o[s] = ids[i]
		}
	}
	return o
}

func apply(o [topology.SlotCount]string, moves []slotMove) [topology.SlotCount]string {
	for _, m := range moves {
		if o[m.Slot] != m.From {
			panic(fmt.Sprintf("move of slot %d from %s, owned by %s", m.Slot, m.From, o[m.Slot]))
		}
		o[m.Slot] = m.To
	}
	return o
}

func TestPlanBalance(t *testing.T) {
	tests := []struct {
		name      string
		owners    [topology.SlotCount]string
		masters   []string
		wantMoves int
	}{
		{"scale out 3 to 4", ownersOf("a", "b", "c"), []string{"a", "b", "c", "d"}, 4096},
		{"scale in 4 to 3", ownersOf("a", "b", "c", "d"), []string{"a", "b", "c"}, 4096},
		{"already even", ownersOf("a", "b", "c"), []string{"a", "b", "c"}, 0},
		{"even order does not matter", ownersOf("a", "b", "c"), []string{"c", "a", "b"}, 0},
		{"replace a master", ownersOf("a", "b", "c"), []string{"a", "b", "d"}, 5461},
		{"all on one", ownersOf("a"), []string{"a", "b", "c", "d", "e"}, 16384 - 3277},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			moves := planBalance(tt.owners, tt.masters)
			if len(moves) != tt.wantMoves {
				t.Errorf("%d moves, want %d", len(moves), tt.wantMoves)
			}
			after := slotCounts(new(apply(tt.owners, moves)))
			even := topology.SlotCount / len(tt.masters)
			for _, m := range tt.masters {
				if after[m] < even || after[m] > even+1 {
					t.Errorf("%s ends with %d slots, want %d or %d", m, after[m], even, even+1)
				}
			}
			if len(after) != len(tt.masters) {
				t.Errorf("slots end on %v, want only %v", after, tt.masters)
			}
		})
	}
}

func TestPlanBalanceLeavesUnownedSlots(t *testing.T) {
	o := ownersOf("a", "b")
	o[0], o[1] = "", ""
	moves := planBalance(o, []string{"a", "b", "c"})
	after := apply(o, moves)
	if after[0] != "" || after[1] != "" {
		t.Errorf("unowned slots were assigned")
	}
}

func TestPlanRoles(t *testing.T) {
	m := func(i, slots int) nodeRole { return nodeRole{Index: i, Master: true, Slots: slots, Follows: -1} }
	r := func(i, of int) nodeRole { return nodeRole{Index: i, Follows: of} }
	tests := []struct {
		name       string
		nodes      []nodeRole
		keep, want int
		plan       rolePlan
	}{
		{"scale out 3x0 to 4x0", []nodeRole{m(0, 5461), m(1, 5462), m(2, 5461), m(3, 0)}, 4, 4, rolePlan{Masters: []int{0, 1, 2, 3}}},
		{"scale in 4x0 to 3x0", []nodeRole{m(0, 4096), m(1, 4096), m(2, 4096), m(3, 4096)}, 3, 3, rolePlan{Masters: []int{0, 1, 2}}},
		{"scale out 3x1 to 4x1", []nodeRole{m(0, 1), m(1, 1), m(2, 1), r(3, 0), r(4, 1), r(5, 2), m(6, 0), m(7, 0)}, 8, 4,
			rolePlan{Masters: []int{0, 1, 2, 6}}},
		{"replica of a removed master is promoted", []nodeRole{m(0, 1), r(1, 4), m(2, 1), r(3, 0), m(4, 1), r(5, 2)}, 3, 3,
			rolePlan{Masters: []int{0, 2, 1}, Promote: []int{1}}},
		{"3x1 to 4x0 resets a replica", []nodeRole{m(0, 1), m(1, 1), m(2, 1), r(3, 0), r(4, 1), r(5, 2)}, 4, 4,
			rolePlan{Masters: []int{0, 1, 2, 3}, Reset: []int{3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := planRoles(tt.nodes, tt.keep, tt.want); !reflect.DeepEqual(got, tt.plan) {
				t.Errorf("planRoles = %+v, want %+v", got, tt.plan)
			}
		})
	}
}
