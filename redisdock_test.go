//go:build !nodeimage

package redisdock_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/redisdocktest"
)

// requireEngine skips without an engine unless REDIS_DOCK_REQUIRE_DOCKER=1;
// Start itself then fails the test with the engine's error.
func requireEngine(t *testing.T) {
	t.Helper()
	testutil.Docker(t)
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
			c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, Replicas: 1})
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
	c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, Replicas: 1, NodeTimeout: 2 * time.Second})
	testutil.AssertClientTopology(t, c.Addrs(), c.Password(), 3, 1) // the replica to promote is handed out at once
	rdb := c.Client()
	slot := 0
	m, err := rdb.MasterForKey(ctx, "{06S}k") // hashes to slot 0
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(m.Options().Addr)
	masterPort, _ := strconv.Atoi(port)
	// SET and WAIT 1: writes acknowledged by a replica before the crash,
	// at least 100 of them on the master that is killed, must survive.
	w := &testutil.AckWriter{Master: rdb.MasterForKey}
	stop := w.Start(ctx)
	w.WaitAcked(t, masterPort, 100)
	killed, err := c.KillMaster(ctx, slot)
	stop()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(killed, "-"+port) {
		t.Fatalf("killed %s, but the writes were counted on the master at port %s", killed, port)
	}
	acked := w.Acked(t, masterPort, 100)
	t.Logf("killed %s; %d writes acknowledged, %d on it", killed, len(acked), w.AckedOn(masterPort))
	// The replica of the killed master takes over, and the same client
	// follows it to the new master.
	deadline := time.Now().Add(time.Minute)
	for key, want := range acked {
		for {
			v, err := rdb.Get(ctx, key).Result()
			if err == nil && v == want {
				break
			}
			if err == redis.Nil || err == nil {
				t.Fatalf("the acknowledged write %s=%s was lost in the failover: got %q", key, want, v)
			}
			if time.Now().After(deadline) {
				st, _ := c.Status(ctx)
				t.Fatalf("%s not served after killing %s: %v; status %+v", key, killed, err, st)
			}
			time.Sleep(100 * time.Millisecond)
		}
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
	c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, AppendOnly: true})
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
