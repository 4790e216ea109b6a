package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationScaleUnderLoad scales 3 -> 4 -> 3 masters while a
// go-redis ClusterClient reads and writes 100,000 keys: no key may be
// lost or changed, the client may see no error, and every poll of the
// kept nodes (and of whatever node the client asks) must find all 16384
// slots covered.
func TestIntegrationScaleUnderLoad(t *testing.T) {
	ctx := context.Background()
	// newSpec reserves ports for 6 nodes; 4 are used.
	d, s, o, res := upTest(t, "scale", func(s *spec.Spec) { s.Replicas, s.AppendOnly = 0, false })
	seeds, pw := res.Seeds(), res.Spec.Password
	load := startLoad(t, seeds, pw, 100000, 3)
	cover := startCoverage(seeds, pw, load.rdb)

	four := scale(t, s.Name, ScaleOptions{Masters: 4, Replicas: 0}, o)
	t.Logf("3 -> 4: added %v, moved %d slots and %d keys in %s", four.Added, four.Moved.Slots, four.Moved.Keys, four.Moved.Elapsed)
	checkShares(t, s.Name, 4, o)
	s4 := s
	s4.Masters = 4
	if again, err := Up(ctx, s4, o); err != nil || !again.Existing {
		t.Fatalf("up with the scaled spec: existing=%v err=%v", again != nil && again.Existing, err)
	}
	if _, err := Up(ctx, s, o); err == nil || !strings.Contains(err.Error(), "--masters") {
		t.Fatalf("up with the old spec after scaling: want an error naming --masters, got %v", err)
	}

	three := scale(t, s.Name, ScaleOptions{Masters: 3, Replicas: 0}, o)
	t.Logf("4 -> 3: removed %v, moved %d slots and %d keys in %s", three.Removed, three.Moved.Slots, three.Moved.Keys, three.Moved.Elapsed)
	cover.finish(t)
	load.finish(t, seeds, pw)
	checkShares(t, s.Name, 3, o)
	if len(three.Removed) != 1 || three.Removed[0] != fmt.Sprintf("%s-%d", s.Name, s.Port+3) {
		t.Errorf("scale-in removed %v, want the node added before", three.Removed)
	}
	// each node keeps a data and a config volume (read-only root)
	if left, err := d.Leftovers(ctx, s.Name); err != nil || left != (docker.Removed{Containers: 3, Networks: 1, Volumes: 6}) {
		t.Errorf("after scale-in: %+v (err %v), want 3 containers, 1 network, 6 volumes (data and config of each)", left, err)
	}
	if again, err := Up(ctx, s, o); err != nil || !again.Existing {
		t.Fatalf("up with the original spec after scaling back: %v", err)
	}
	testutil.RedisCliCheck(t, seeds[0], pw)
}

// scale runs Scale, again when a port it needs is busy for a moment: the
// test ports lie in the kernel's ephemeral range, where an outgoing
// connection can hold one briefly, and a scale cannot pick other ports.
func scale(t *testing.T, name string, so ScaleOptions, o Options) *ScaleResult {
	t.Helper()
	for try := 1; ; try++ {
		res, err := Scale(context.Background(), name, so, o)
		if err == nil {
			return res
		}
		if !errors.Is(err, ErrPortInUse) || try == 5 {
			t.Fatalf("scale to %dx%d: %v", so.Masters, so.Replicas, err)
		}
		t.Logf("scale: %v; trying again", err)
		time.Sleep(2 * time.Second)
	}
}

// checkShares checks that the cluster has want masters, each within 1%
// of an even share of the slots.
func checkShares(t *testing.T, name string, want int, o Options) {
	t.Helper()
	st := mustStatus(t, name, o)
	if !st.Healthy {
		t.Errorf("cluster not healthy: %v", st.Problems)
	}
	even := 16384 / want
	masters := 0
	for _, n := range st.Nodes {
		if n.Role != "master" {
			continue
		}
		masters++
		if d := n.SlotCount - even; d*100 > even || -d*100 > even {
			t.Errorf("master %s owns %d slots, more than 1%% off %d", n.Name, n.SlotCount, even)
		}
	}
	if masters != want {
		t.Errorf("%d masters, want %d", masters, want)
	}
}

// TestIntegrationScaleHostNetwork scales a host-network cluster 3 -> 4 ->
// 3: new nodes bind their own client and bus ports on the host, and keys
// move between nodes at the bind address.
func TestIntegrationScaleHostNetwork(t *testing.T) {
	_, s, o, res := upTest(t, "scalehost", func(s *spec.Spec) { s.Network, s.Replicas, s.AppendOnly = spec.NetworkHost, 0, false })
	withKeys(t, res, "k", 5000)
	for _, masters := range []int{4, 3} {
		scale(t, s.Name, ScaleOptions{Masters: masters, Replicas: 0}, o)
		checkShares(t, s.Name, masters, o)
		checkKeys(t, clientFor(res), 5000) // an idle client's slot map is stale; it never saw a MOVED
	}
	testutil.RedisCliCheck(t, res.Seeds()[0], res.Spec.Password)
}

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
