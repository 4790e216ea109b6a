package cluster

import (
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
)

func master(name, id string, epoch int64, slots ...[2]int) reachable {
	return reachable{ct: docker.Container{Name: name}, self: redisx.ClusterNode{ID: id, ConfigEpoch: epoch, Flags: []string{"myself", "master"}, Slots: slots}}
}

func TestNewMaster(t *testing.T) {
	old := master("c-7000", "a", 1, [2]int{0, 5460})
	promoted := master("c-7003", "d", 7, [2]int{0, 5460})
	other := master("c-7001", "b", 2, [2]int{5461, 16383})
	for _, tc := range []struct {
		name    string
		ms      []reachable
		from    string
		want    string
		wantWhy string
	}{
		{"not yet", []reachable{old, other}, "a", "", "slot 12 is still served by c-7000, its master before the fault"},
		{"dead master", []reachable{other}, "a", "", "no reachable master serves slot 12 yet"},
		{"promoted", []reachable{other, promoted}, "a", "c-7003", ""},
		{"old one back, newer epoch wins", []reachable{master("c-7000", "a2", 1, [2]int{0, 5460}), promoted}, "a", "c-7003", ""},
		{"any master", []reachable{old, other}, "", "c-7000", ""},
	} {
		m, why := newMaster(tc.ms, 12, tc.from)
		if m.ct.Name != tc.want || why != tc.wantWhy {
			t.Errorf("%s: got %q, %q; want %q, %q", tc.name, m.ct.Name, why, tc.want, tc.wantWhy)
		}
	}
}

func TestUncovered(t *testing.T) {
	ms := []reachable{master("x", "b", 2, [2]int{5461, 10922}), master("y", "c", 3, [2]int{16383, 16383})}
	if got, want := uncovered(ms), "slots 0-5460 10923-16382 are served by no reachable master"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := uncovered([]reachable{master("x", "b", 2, [2]int{0, 16383})}); got != "" {
		t.Errorf("full cover: got %q", got)
	}
}
