package form

import (
	"testing"

	"github.com/redis-dock/redis-dock/internal/topology"
)

// TestGroupMaster: a fresh node follows the serving master of its own
// planned group: a replica its planned master, a planned master the
// replica that took over from it; nothing when its group serves nothing.
func TestGroupMaster(t *testing.T) {
	plan := topology.Plan{Nodes: []topology.Node{
		{Index: 0, Master: -1}, {Index: 1, Master: -1}, {Index: 2, Master: -1},
		{Index: 3, Master: 0}, {Index: 4, Master: 1}, {Index: 5, Master: 2},
	}}
	ids := []string{"m0", "m1", "m2", "r3", "r4", "r5"}
	serving := map[string]int{"r3": 0, "m1": 1, "m2": 0} // m0 was lost: r3 took over
	for _, tt := range []struct {
		i    int
		want string
	}{{0, "r3"}, {4, "m1"}, {3, ""}, {1, ""}} {
		if got := groupMaster(plan, tt.i, serving, ids); got != tt.want {
			t.Errorf("groupMaster(%d) = %q, want %q", tt.i, got, tt.want)
		}
	}
}
