package sentinel

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/golden"
)

// TestPlanUpgrade checks the order of a sentinel group's upgrade against
// golden files: the replicas, then the sentinels, then the failover and
// the old master last; nodes current already are skipped (a resumed
// upgrade), and a master without replica is refused, naming it, unless
// downtime is allowed; a config change the data nodes take at runtime
// sets them in place, the master last and without a failover.
func TestPlanUpgrade(t *testing.T) {
	group := func(master string, current string, replicas, sentinels []string) groupState {
		is := func(n string) groupNode {
			return groupNode{Name: n, Current: strings.Contains(current, n+","), Set: strings.Contains(current, n+"=set,")}
		}
		g := groupState{Master: is(master)}
		for _, r := range replicas {
			g.Replicas = append(g.Replicas, is(r))
		}
		for _, s := range sentinels {
			g.Sentinels = append(g.Sentinels, is(s))
		}
		return g
	}
	reps, sents := []string{"g-7001", "g-7002"}, []string{"g-7003", "g-7004", "g-7005"}
	for _, c := range []struct {
		name     string
		group    groupState
		downtime bool
	}{
		{"1m2r3s", group("g-7000", "", reps, sents), false},
		// interrupted after the failover: g-7001 is master, g-7000 (not
		// yet replaced) its replica
		{"resumed", group("g-7001", "g-7001,g-7002,g-7003,g-7004,g-7005,", []string{"g-7000", "g-7002"}, sents), false},
		{"sentinels-only", group("g-7000", "g-7000,g-7001,g-7002,", reps, sents), false},
		{"no-replica-allowed", group("g-7000", "", nil, []string{"g-7001"}), true},
		// maxmemory changed: data nodes set at runtime, sentinels render
		// the same and are current
		{"runtime-config", group("g-7000", "g-7000=set,g-7001=set,g-7002=set,g-7003,g-7004,g-7005,", reps, sents), false},
		{"nothing", group("g-7000", "g-7000,g-7001,g-7002,g-7003,g-7004,g-7005,", reps, sents), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := planUpgrade(c.group, c.downtime)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "upgrade-"+c.name+".golden"), []byte(p.String()))
		})
	}
	_, err := planUpgrade(group("g-7000", "", nil, []string{"g-7001"}), false)
	if err == nil || !strings.Contains(err.Error(), "--allow-downtime") || !strings.Contains(err.Error(), "g-7000") {
		t.Errorf("master without replica: err %v, want one naming --allow-downtime and g-7000", err)
	}
}
