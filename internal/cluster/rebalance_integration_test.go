package cluster

import (
	"context"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationRebalance makes a real cluster's slot map uneven with the
// product's own move code (3000 slots from one master to another, keys
// with them), writes more keys, and rebalances: every master must end
// within one slot of an even share, the keys must really have moved (the
// master that gets them back counts them), every key must read back, and
// redis-cli must find the cluster whole. A second rebalance moves nothing.
func TestIntegrationRebalance(t *testing.T) {
	t.Parallel()
	d := testutil.Docker(t)
	ctx := context.Background()
	s, o := newSpec(t, d, "rebal")
	s.Replicas, s.AppendOnly = 0, false
	res, err := Up(ctx, s, o)
	if err != nil {
		t.Fatal(err)
	}
	rdb := clientFor(res)
	defer rdb.Close()
	testutil.WriteRead(t, rdb, "before", 10000)

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
