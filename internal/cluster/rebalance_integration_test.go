package cluster

import (
	"context"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationRebalance makes a real cluster's slot map uneven with the
// product's own move code (3000 slots from one master to another, keys
// with them), writes more keys, and rebalances: every master must end
// within one slot of an even share, the keys must really have moved (the
// master that gets them back counts them), every key must read back, and
// redis-cli must find the cluster whole. A second rebalance moves nothing.
func TestIntegrationRebalance(t *testing.T) {
	ctx := context.Background()
	_, s, o, res := upTest(t, "rebal", func(s *spec.Spec) {
		s.Replicas, s.AppendOnly = 0, false
		// A master whose last slot moves away stays a master (Redis 7 would
		// make it a replica of the taker), for checkEmptyMaster.
		s.Config = []string{"cluster-allow-replica-migration no"}
	})
	rdb := withKeys(t, res, "before", 10000)

	masters := masterPorts(t, s.Name, o)
	from, to := masters[0], masters[1]
	if _, err := Reshard(ctx, s.Name, ReshardOptions{From: from, To: to, Slots: 3000}, o); err != nil {
		t.Fatal(err)
	}
	counts := slotCounts3(t, s.Name, o)
	if counts[from] > 16384/3-2900 || counts[to] < 16384/3+2900 {
		t.Fatalf("after the reshard: %v, want %d about 3000 slots short and %d about 3000 over", counts, from, to)
	}
	testutil.WriteRead(t, rdb, "uneven", 5000)
	keysBefore := dbsize(t, from, res.Spec.Password)

	rb, err := Rebalance(ctx, s.Name, RebalanceOptions{}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rebalance moved %d slots, %d keys in %s", rb.Moved.Slots, rb.Moved.Keys, rb.Moved.Elapsed)
	gained := dbsize(t, from, res.Spec.Password) - keysBefore
	// 15000 keys over 16384 slots: 3000 slots hold about 2750 of them.
	if rb.Masters != 3 || rb.Moved.Slots < 2999 || rb.Moved.Keys < 2000 || gained < 2000 {
		t.Fatalf("rebalance: %d masters, moved %d slots and %d keys, %d gained %d keys; want 3, >= 2999, >= 2000, >= 2000",
			rb.Masters, rb.Moved.Slots, rb.Moved.Keys, from, gained)
	}
	for port, n := range slotCounts3(t, s.Name, o) {
		if n < 16384/3 || n > 16384/3+1 {
			t.Errorf("after rebalance, master %d owns %d slots, want %d or %d", port, n, 16384/3, 16384/3+1)
		}
	}
	fresh := clientFor(res)
	defer fresh.Close()
	testutil.CheckKeys(t, fresh, "before", 10000)
	testutil.CheckKeys(t, fresh, "uneven", 5000)
	testutil.RedisCliCheck(t, res.Seeds()[0], res.Spec.Password)

	again, err := Rebalance(ctx, s.Name, RebalanceOptions{}, o)
	if err != nil || again.Moved.Slots != 0 {
		t.Fatalf("second rebalance: moved %d slots (err %v), want none", again.Moved.Slots, err)
	}
	checkEmptyMaster(t, s.Name, masters[2], o)
	testutil.CheckKeys(t, fresh, "before", 10000)
	testutil.CheckKeys(t, fresh, "uneven", 5000)
}

// checkEmptyMaster empties the master on port: a plain rebalance leaves
// it out (two even shares), --use-empty-masters gives it a third.
func checkEmptyMaster(t *testing.T, name string, port int, o Options) {
	t.Helper()
	ctx := context.Background()
	var other int
	for p := range slotCounts3(t, name, o) {
		if p != port {
			other = p
		}
	}
	if _, err := Reshard(ctx, name, ReshardOptions{From: port, To: other}, o); err != nil {
		t.Fatal(err)
	}
	if n := slotCounts3(t, name, o)[port]; n != 0 {
		t.Fatalf("after moving all its slots away, master %d owns %d", port, n)
	}
	rb, err := Rebalance(ctx, name, RebalanceOptions{}, o)
	if err != nil {
		t.Fatal(err)
	}
	counts := slotCounts3(t, name, o)
	if len(counts) != 3 {
		t.Fatalf("the emptied master is no longer a master: %v", counts)
	}
	for p, n := range counts {
		if want := map[bool]int{true: 0, false: 8192}[p == port]; rb.Masters != 2 || n != want {
			t.Fatalf("rebalance without empty masters over %d masters: %d owns %d slots, want %d", rb.Masters, p, n, want)
		}
	}
	if rb, err = Rebalance(ctx, name, RebalanceOptions{UseEmptyMasters: true}, o); err != nil || rb.Masters != 3 {
		t.Fatalf("rebalance with empty masters: %d masters, %v", rb.Masters, err)
	}
	for p, n := range slotCounts3(t, name, o) {
		if n < 16384/3 || n > 16384/3+1 {
			t.Errorf("after rebalance with empty masters, master %d owns %d slots", p, n)
		}
	}
}

// masterPorts lists the client ports of the cluster's masters.
func masterPorts(t *testing.T, name string, o Options) []int {
	t.Helper()
	var out []int
	for port := range slotCounts3(t, name, o) {
		out = append(out, port)
	}
	if len(out) != 3 {
		t.Fatalf("%d masters, want 3", len(out))
	}
	return out
}

// slotCounts3 maps each master's port to the slots it owns, from a
// healthy status.
func slotCounts3(t *testing.T, name string, o Options) map[int]int {
	t.Helper()
	st, err := GetStatus(context.Background(), name, o)
	if err != nil || !st.Healthy {
		t.Fatalf("status: %v (healthy %v)", err, st != nil && st.Healthy)
	}
	out := map[int]int{}
	total := 0
	for _, n := range st.Nodes {
		if n.Role == "master" {
			out[n.Port] = n.SlotCount
			total += n.SlotCount
		}
	}
	if total != 16384 {
		t.Fatalf("masters own %d slots, want 16384: %v", total, out)
	}
	return out
}

// dbsize counts the keys of the node on port, asked directly.
func dbsize(t *testing.T, port int, pw string) int64 {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: "localhost:" + strconv.Itoa(port), Password: pw})
	defer c.Close()
	n, err := c.DBSize(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	return n
}
