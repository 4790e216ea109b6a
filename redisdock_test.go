package redisdock_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// requireEngine skips without an engine unless REDIS_DOCK_REQUIRE_DOCKER=1;
// Start itself then fails the test with the engine's error.
func requireEngine(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test skipped in -short mode")
	}
	if os.Getenv("REDIS_DOCK_REQUIRE_DOCKER") == "1" {
		return
	}
	if err := redisdock.Ping(context.Background()); err != nil {
		t.Skipf("no docker engine: %v", err)
	}
}

func writeRead(t *testing.T, rdb *redis.ClusterClient, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if err := rdb.Set(ctx, fmt.Sprintf("key:%d", i), i, 0).Err(); err != nil {
			t.Fatalf("SET key:%d: %v", i, err)
		}
	}
	for i := 0; i < n; i++ {
		v, err := rdb.Get(ctx, fmt.Sprintf("key:%d", i)).Int()
		if err != nil || v != i {
			t.Fatalf("GET key:%d = %d, %v", i, v, err)
		}
	}
}

// TestIntegrationParallelClusters runs four tests at once, each with its
// own cluster, as parallel test suites do.
func TestIntegrationParallelClusters(t *testing.T) {
	requireEngine(t)
	for i := 0; i < 4; i++ {
		t.Run(fmt.Sprintf("cluster%d", i), func(t *testing.T) {
			t.Parallel()
			c := redisdock.Start(t, redisdock.Options{Masters: 3, Replicas: 1})
			writeRead(t, c.Client(), 1000)
			if len(c.Addrs()) != 6 || c.Password() == "" {
				t.Errorf("Addrs = %v, password set = %v", c.Addrs(), c.Password() != "")
			}
		})
	}
}

func TestIntegrationKillMaster(t *testing.T) {
	requireEngine(t)
	t.Parallel()
	ctx := context.Background()
	c := redisdock.Start(t, redisdock.Options{Masters: 3, Replicas: 1, NodeTimeout: 2 * time.Second})
	testutil.AssertClientTopology(t, c.Addrs(), c.Password(), 3, 1) // the replica to promote is handed out at once
	rdb := c.Client()
	slot := 0
	key := "{06S}k" // hashes to slot 0
	if s, _ := rdb.ClusterKeySlot(ctx, key).Result(); s != int64(slot) {
		t.Fatalf("key %s is in slot %d", key, s)
	}
	// SET and WAIT on the key's master: the write is acknowledged by its
	// replica before the crash, so it must survive the failover.
	m, err := rdb.MasterForKey(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	var wait *redis.Cmd
	if _, err := m.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, key, "before", 0)
		wait = p.Do(ctx, "WAIT", 1, 5000)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n, _ := wait.Int64(); n < 1 {
		t.Fatalf("WAIT 1: %d replicas acknowledged the write", n)
	}
	killed, err := c.KillMaster(ctx, slot)
	if err != nil {
		t.Fatal(err)
	}
	// The replica of the killed master takes over, and the same client
	// follows it to the new master.
	deadline := time.Now().Add(time.Minute)
	for {
		v, err := rdb.Get(ctx, key).Result()
		if err == nil && v == "before" {
			break
		}
		if err == redis.Nil {
			t.Fatalf("the acknowledged write of %s was lost in the failover", key)
		}
		if time.Now().After(deadline) {
			st, _ := c.Status(ctx)
			t.Fatalf("slot %d not served after killing %s: %v; status %+v", slot, killed, err, st)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := c.StartNode(ctx, killed); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitHealthy(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
}

func TestIntegrationRestartKeepsData(t *testing.T) {
	requireEngine(t)
	t.Parallel()
	ctx := context.Background()
	c := redisdock.Start(t, redisdock.Options{Masters: 3, AppendOnly: true})
	writeRead(t, c.Client(), 200)
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	fresh := c.NewClient(nil)
	defer fresh.Close()
	for i := 0; i < 200; i++ {
		if v, err := fresh.Get(ctx, fmt.Sprintf("key:%d", i)).Int(); err != nil || v != i {
			t.Fatalf("after restart key:%d = %d, %v", i, v, err)
		}
	}
}
