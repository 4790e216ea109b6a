package cluster

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationScaleRoles scales through the role changes Scale plans:
// 3x1 after a failover to 4x0 (a replica among the kept nodes is reset to
// an empty master), to 3x1 (a drained master and two new nodes become
// replicas), and after another failover to 3x0 (a kept replica of a
// removed master is promoted instead of moving its slots).
func TestIntegrationScaleRoles(t *testing.T) {
	ctx := context.Background()
	_, s, o, res := upTest(t, "roles", nil)
	rdb := clientFor(res)
	testutil.WriteRead(t, rdb, "k", 2000)
	rdb.Close()
	keysIntact := func() {
		t.Helper()
		c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: res.Seeds(), Password: res.Spec.Password})
		defer c.Close()
		testutil.CheckKeys(t, c, "k", 2000)
	}
	_, r := masterAndReplica(t, s.Name, 0, o)
	if _, err := Failover(ctx, s.Name, r.Port, FailoverOptions{}, o); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		masters, replicas int
		promoted          int
	}{{4, 0, 0}, {3, 1, 0}, {3, 0, 1}}
	for i, st := range steps {
		if i == 2 { // a replica outside the kept nodes takes over
			_, r := masterAndReplica(t, s.Name, 0, o)
			if _, err := Failover(ctx, s.Name, r.Port, FailoverOptions{}, o); err != nil {
				t.Fatal(err)
			}
		}
		sr := scale(t, s.Name, ScaleOptions{Masters: st.masters, Replicas: st.replicas}, o)
		t.Logf("%dx%d: added %v, removed %v, promoted %v, moved %d slots", st.masters, st.replicas, sr.Added, sr.Removed, sr.Promoted, sr.Moved.Slots)
		checkShares(t, s.Name, st.masters, o)
		checkReplicas(t, s.Name, st.replicas, o)
		if len(sr.Promoted) != st.promoted {
			t.Errorf("scale to %dx%d promoted %v, want %d", st.masters, st.replicas, sr.Promoted, st.promoted)
		}
		if st.promoted > 0 && sr.Moved.Slots != 0 {
			t.Errorf("scale to %dx%d moved %d slots; the promotion should have kept them in place", st.masters, st.replicas, sr.Moved.Slots)
		}
		keysIntact()
	}
	testutil.RedisCliCheck(t, res.Seeds()[0], res.Spec.Password)
}

// checkReplicas checks that every master has want replicas, all linked.
func checkReplicas(t *testing.T, name string, want int, o Options) {
	t.Helper()
	st := mustStatus(t, name, o)
	count := map[string]int{}
	for _, n := range st.Nodes {
		if n.Role == "master" {
			count[n.Name] += 0
		} else {
			count[n.Master]++
		}
	}
	for m, c := range count {
		if c != want {
			t.Errorf("master %s has %d replicas, want %d (%+v)", m, c, want, st.Nodes)
		}
	}
}
