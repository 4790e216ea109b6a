package cluster

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/golden"
)

// TestPlanUpgrade checks the order of an upgrade's steps against golden
// files: runtime config first, then every replica shard by shard, then
// each master after a failover to its first replica; nodes current
// already are skipped (a resumed upgrade), and a master without replica
// is refused, naming it, unless downtime is allowed.
func TestPlanUpgrade(t *testing.T) {
	r, s, k := replaceNode, setConfig, keepNode
	shard := func(master string, ma upgradeAction, replicas ...any) shardState {
		sh := shardState{Master: nodeState{Name: master, Action: ma}}
		for i := 0; i < len(replicas); i += 2 {
			sh.Replicas = append(sh.Replicas, nodeState{Name: replicas[i].(string), Action: replicas[i+1].(upgradeAction)})
		}
		return sh
	}
	for _, c := range []struct {
		name     string
		shards   []shardState
		downtime bool
	}{
		{"3x1", []shardState{shard("a-0", r, "a-3", r), shard("a-1", r, "a-4", r), shard("a-2", r, "a-5", r)}, false},
		{"3x2", []shardState{shard("a-0", r, "a-3", r, "a-6", r), shard("a-1", r, "a-4", r, "a-7", r), shard("a-2", r, "a-5", r, "a-8", r)}, false},
		// interrupted after two replicas and one master's failover: the
		// old master a-0 is a replica of a-3 now
		{"resumed", []shardState{shard("a-3", k, "a-0", r), shard("a-1", r, "a-4", k), shard("a-2", r, "a-5", r)}, false},
		{"runtime-config", []shardState{shard("a-0", s, "a-3", s), shard("a-1", s, "a-4", k), shard("a-2", s, "a-5", s)}, false},
		{"no-replica-allowed", []shardState{shard("a-0", r), shard("a-1", r, "a-3", r), shard("a-2", k)}, true},
		{"nothing", []shardState{shard("a-0", k, "a-3", k)}, false},
		// a master a scale left without slots or replicas: replaced in
		// place without --allow-downtime
		{"empty-master", []shardState{shard("a-0", r, "a-3", r), {Master: nodeState{Name: "a-1", Action: r}, Empty: true}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := planUpgrade(c.shards, c.downtime)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "upgrade-"+c.name+".golden"), []byte(p.String()))
		})
	}
	_, err := planUpgrade([]shardState{shard("a-0", r), shard("a-1", r, "a-3", r), shard("a-2", r)}, false)
	if err == nil || !strings.Contains(err.Error(), "--allow-downtime") || !strings.Contains(err.Error(), "a-0, a-2") {
		t.Errorf("masters without replica: err %v, want one naming --allow-downtime and a-0, a-2", err)
	}
	if _, err := planUpgrade([]shardState{shard("a-0", k), shard("a-1", r, "a-3", r)}, false); err != nil {
		t.Errorf("a master without replica that needs nothing: %v, want no refusal", err)
	}
}
