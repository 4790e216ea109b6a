package topology

import (
	"net/netip"
	"testing"
)

func TestSplitSlotsMatchesRedisCli(t *testing.T) {
	tests := []struct {
		n    int
		want []SlotRange
	}{
		{3, []SlotRange{{0, 5460}, {5461, 10922}, {10923, 16383}}},
		{4, []SlotRange{{0, 4095}, {4096, 8191}, {8192, 12287}, {12288, 16383}}},
		{5, []SlotRange{{0, 3276}, {3277, 6553}, {6554, 9829}, {9830, 13106}, {13107, 16383}}},
	}
	for _, tt := range tests {
		got := SplitSlots(tt.n)
		if len(got) != len(tt.want) {
			t.Fatalf("SplitSlots(%d) = %v", tt.n, got)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("SplitSlots(%d)[%d] = %v, want %v", tt.n, i, got[i], tt.want[i])
			}
		}
	}
}

func TestSplitSlotsCoversEverySlotOnce(t *testing.T) {
	for n := 1; n <= 200; n++ {
		next := 0
		for _, r := range SplitSlots(n) {
			if r.Start != next || r.End < r.Start {
				t.Fatalf("n=%d: range %v does not continue at %d", n, r, next)
			}
			next = r.End + 1
		}
		if next != SlotCount {
			t.Fatalf("n=%d: covered up to %d", n, next)
		}
	}
}

func TestNewPlacesReplicasRoundRobin(t *testing.T) {
	p := New(Params{Cluster: "c", Masters: 3, Replicas: 2, Port: 7000, BusPort: 17000,
		Subnet: netip.MustParsePrefix("10.9.8.0/24")})
	if len(p.Nodes) != 9 || len(p.Masters()) != 3 || len(p.Replicas()) != 6 {
		t.Fatalf("plan has %d nodes", len(p.Nodes))
	}
	perMaster := map[int]int{}
	for _, r := range p.Replicas() {
		if r.Master < 0 || r.Master >= 3 || r.Master == r.Index {
			t.Fatalf("replica %d follows %d", r.Index, r.Master)
		}
		perMaster[r.Master]++
	}
	for m, c := range perMaster {
		if c != 2 {
			t.Errorf("master %d has %d replicas, want 2", m, c)
		}
	}
	n := p.Nodes[4]
	if n.Name != "c-7004" || n.Port != 7004 || n.BusPort != 17004 || n.IP.String() != "10.9.8.14" {
		t.Errorf("node 4 = %+v", n)
	}
}
