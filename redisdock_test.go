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

	redisdock "github.com/redis-dock/redis-dock"
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

// ackedWrite sets key on its master and WAITs for one replica, failing
// the test unless the replica acknowledged it; it returns the master's
// port, so the test can assert that it breaks exactly that node.
func ackedWrite(t *testing.T, c *redisdock.Cluster, key, val string) string {
	t.Helper()
	ctx := context.Background()
	m, err := c.Client().MasterForKey(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	var wait *redis.Cmd
	if _, err := m.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, key, val, 0)
		wait = p.Do(ctx, "WAIT", 1, 5000)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n, _ := wait.Int64(); n < 1 {
		t.Fatalf("WAIT 1 after SET %s: %d replicas acknowledged", key, n)
	}
	_, port, _ := net.SplitHostPort(m.Options().Addr)
	return port
}

// readAfterFailover waits for slot's failover and reads key with the
// very next command: no retry, no error allowed.
func readAfterFailover(t *testing.T, c *redisdock.Cluster, key, want, oldPort string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, err := c.WaitFailover(ctx, redisdock.Slot(key))
	if err != nil {
		t.Fatal(err)
	}
	if strconv.Itoa(m.Port) == oldPort {
		t.Fatalf("WaitFailover returned the old master %s", m.Container)
	}
	// No retry may hide a stale route: the client's map names the new master.
	mc, err := c.Client().MasterForKey(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if addr := mc.Options().Addr; !strings.HasSuffix(addr, ":"+strconv.Itoa(m.Port)) {
		t.Fatalf("after WaitFailover the client routes %s to %s, want port %d", key, addr, m.Port)
	}
	if v, err := c.Client().Get(ctx, key).Result(); err != nil || v != want {
		t.Fatalf("first GET %s after WaitFailover (new master %s) = %q, %v; want %q", key, m.Container, v, err, want)
	}
}

func healthy(t *testing.T, c *redisdock.Cluster) {
	t.Helper()
	if err := c.WaitHealthy(context.Background(), 2*time.Minute); err != nil {
		t.Fatal(err)
	}
}

// TestIntegrationFaultKit is a test author's test: kill, pause and cut
// off the master of a key acknowledged by its replica, wait for the
// failover, and read the key with the next command.
func TestIntegrationFaultKit(t *testing.T) {
	requireEngine(t)
	t.Parallel()
	ctx := context.Background()
	c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, Replicas: 1, NodeTimeout: 2 * time.Second})

	t.Run("kill", func(t *testing.T) {
		port := ackedWrite(t, c, "cart:1", "3 apples")
		killed, err := c.KillMaster(ctx, redisdock.Slot("cart:1"))
		if err != nil {
			t.Fatal(err)
		}
		if killed != c.Name()+"-"+port {
			t.Fatalf("KillMaster killed %s, the key's master is on port %s", killed, port)
		}
		readAfterFailover(t, c, "cart:1", "3 apples", port)
		if _, err := c.StartNode(ctx, killed); err != nil {
			t.Fatal(err)
		}
		healthy(t, c)
	})
	// A hung master and one cut off its network: each fails over, and
	// serves again once let go.
	type faultFunc func(port string) (redisdock.Fault, error)
	for _, tt := range []struct {
		name, key, val, did string
		fault, undo         faultFunc
	}{
		{"pause", "user:42", "ada", "paused",
			func(p string) (redisdock.Fault, error) { return c.PauseNode(ctx, p) },
			func(p string) (redisdock.Fault, error) { return c.UnpauseNode(ctx, p) }},
		{"partition", "order:7", "shipped", "partitioned",
			func(p string) (redisdock.Fault, error) { return c.Partition(ctx, p) },
			func(p string) (redisdock.Fault, error) { return c.Reconnect(ctx, p) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			port := ackedWrite(t, c, tt.key, tt.val)
			f, err := tt.fault(port)
			if err != nil || len(f.Nodes) != 1 || f.Nodes[0].Role != "master" || f.Action != tt.did {
				t.Fatalf("%s of %s did %v, %v; want the master %s", tt.name, port, f, err, tt.did)
			}
			readAfterFailover(t, c, tt.key, tt.val, port)
			if _, err := tt.undo(port); err != nil {
				t.Fatal(err)
			}
			healthy(t, c)
			if v, err := c.Client().Get(ctx, tt.key).Result(); err != nil || v != tt.val {
				t.Fatalf("GET %s after undoing the %s = %q, %v", tt.key, tt.name, v, err)
			}
		})
	}
	t.Run("serving with nodes down, then restart all", func(t *testing.T) {
		writeRead(t, c.Client(), 300)
		port := ackedWrite(t, c, "cart:2", "pears")
		f, err := c.KillNode(ctx, port)
		if err != nil || f.Action != "killed" || f.Nodes[0].Role != "master" || f.Nodes[0].ID == "" {
			t.Fatalf("KillNode(%s) = %v, %v", port, f, err)
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := c.WaitServing(wctx); err != nil {
			t.Fatal(err)
		}
		readAll(t, c, 300)
		if _, err := c.RestartAll(ctx); err != nil {
			t.Fatal(err)
		}
		healthy(t, c)
		readAll(t, c, 300)
		st, err := c.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range st.Nodes {
			if n.Port == f.Nodes[0].Port && n.ID != f.Nodes[0].ID {
				t.Errorf("%s came back as node %s, was %s", n.Name, n.ID, f.Nodes[0].ID)
			}
		}
	})
}

// readAll reads key:0..n-1 (written by writeRead) with one GET each.
func readAll(t *testing.T, c *redisdock.Cluster, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if v, err := c.Client().Get(ctx, "key:"+strconv.Itoa(i)).Int(); err != nil || v != i {
			t.Fatalf("GET key:%d = %d, %v", i, v, err)
		}
	}
}

// TestIntegrationSentinelFaultKit: kill the master of a sentinel group
// after a write its replicas acknowledged, wait for the failover, and
// read the write with the next command of the failover client.
func TestIntegrationSentinelFaultKit(t *testing.T) {
	requireEngine(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	g := redisdocktest.StartSentinel(t, redisdocktest.Options{Replicas: 2})
	rdb := g.Client()
	if err := rdb.Set(ctx, "cart:1", "3 apples", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := rdb.Do(ctx, "WAIT", 2, 5000).Int(); err != nil || n < 2 {
		t.Fatalf("WAIT 2: %d replicas acknowledged, %v", n, err)
	}
	killed, err := g.KillMaster(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := g.WaitFailover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.Container == killed {
		t.Fatalf("WaitFailover returned the killed master %s", killed)
	}
	if v, err := rdb.Get(ctx, "cart:1").Result(); err != nil || v != "3 apples" {
		t.Fatalf("first GET after WaitFailover (new master %s) = %q, %v", m.Container, v, err)
	}
	if err := g.StartNode(ctx, killed); err != nil {
		t.Fatal(err)
	}
	if err := g.WaitHealthy(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
}
