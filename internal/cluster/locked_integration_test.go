package cluster

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationLockedNodes brings up a bridge cluster with --memory and
// --cpus: every container is locked down (inspect), a write into / fails
// while the same write into /data works and CONFIG REWRITE persists
// across a restart; maxmemory is 75% of the limit; the nodes survive a
// restart (same ID, keys back), a failover, a scale (new nodes locked
// too) and an upgrade to a second image (made again, still locked).
func TestIntegrationLockedNodes(t *testing.T) {
	const mem, cpus = 256 << 20, 500_000_000
	second := testutil.SecondImage(t, testutil.Docker(t)) // removed after the cluster
	d, s, o, res := upTest(t, "lock", func(s *spec.Spec) { s.Memory, s.CPUs = "256m", "0.5" })
	ctx := context.Background()
	if n := testutil.AssertLocked(t, d, s.Name, mem, cpus); n != 6 {
		t.Fatalf("checked %d containers, want 6", n)
	}
	rdb := withKeys(t, res, "lock", 500)

	cts, err := d.List(ctx, s.Name)
	if err != nil {
		t.Fatal(err)
	}
	c := cts[0]
	node := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", c.Port), Password: res.Spec.Password})
	defer node.Close()
	if got := node.ConfigGet(ctx, "maxmemory").Val()["maxmemory"]; got != strconv.Itoa(mem*75/100) {
		t.Errorf("maxmemory %q, want %d (75%% of --memory 256m)", got, mem*75/100)
	}

	// an intruder cannot write into the image; the node's own places work
	dump := func(file string) (int, string) {
		code, out, err := d.Exec(ctx, c.ID, []string{"redis-cli", "-p", strconv.Itoa(c.Port), "-a", res.Spec.Password,
			"--no-auth-warning", "--rdb", file})
		if err != nil {
			t.Fatal(err)
		}
		return code, out
	}
	if code, out := dump("/data/lock-check.rdb"); code != 0 {
		t.Fatalf("redis-cli --rdb /data/lock-check.rdb in %s: exit %d: %s; want it written (the data volume)", c.Name, code, out)
	}
	if code, out := dump("/x.rdb"); code == 0 {
		t.Errorf("redis-cli --rdb /x.rdb in %s wrote into the root filesystem (%s); want it refused", c.Name, out)
	}
	if err := node.ConfigSet(ctx, "maxmemory-policy", "allkeys-lru").Err(); err != nil {
		t.Fatal(err)
	}
	if err := node.ConfigRewrite(ctx).Err(); err != nil {
		t.Fatalf("CONFIG REWRITE in %s: %v", c.Name, err)
	}

	// restart: same node ID, keys back, the rewritten config kept
	ids := nodeIDs(t, s.Name, o)
	if err := d.Restart(ctx, c.ID, 10); err != nil {
		t.Fatal(err)
	}
	if err := WaitHealthy(ctx, s.Name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
	if after := nodeIDs(t, s.Name, o); after[c.Name] != ids[c.Name] {
		t.Errorf("%s came back as %s, was %s", c.Name, after[c.Name], ids[c.Name])
	}
	if got := node.ConfigGet(ctx, "maxmemory-policy").Val()["maxmemory-policy"]; got != "allkeys-lru" {
		t.Errorf("after restart maxmemory-policy is %q, want allkeys-lru (CONFIG REWRITE lost)", got)
	}
	testutil.CheckKeys(t, rdb, "lock", 500)

	// failover: a killed master's replica takes over, no acknowledged write lost
	killed, newMaster := failoverUnderWrites(t, s.Name, o, res)
	t.Logf("failover: %s killed, %s took over", killed, newMaster)

	// scale: new nodes are locked down too
	if _, err := Scale(ctx, s.Name, ScaleOptions{Masters: 4, Replicas: -1}, o); err != nil {
		t.Fatal(err)
	}
	if n := testutil.AssertLocked(t, d, s.Name, mem, cpus); n != 8 {
		t.Errorf("after scale to 4 masters: checked %d containers, want 8", n)
	}
	testutil.CheckKeys(t, rdb, "lock", 500)

	// upgrade: every node made again from the second image, still locked
	before := snapshotNodes(t, d, s.Name, o)
	up, err := Upgrade(ctx, s.Name, UpgradeOptions{Image: second}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Replaced) != 8 {
		t.Errorf("upgrade replaced %v, want all 8 nodes", up.Replaced)
	}
	before.checkUpgraded(t, d, second, o)
	testutil.AssertLocked(t, d, s.Name, mem, cpus)
	testutil.CheckKeys(t, rdb, "lock", 500)
}
