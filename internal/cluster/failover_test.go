package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

func TestIntegrationFailover(t *testing.T) {
	t.Parallel()
	d := testutil.Docker(t)
	ctx := context.Background()
	s, o := newSpec(t, d, "failover")
	res, err := Up(ctx, s, o)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: res.Seeds(), Password: res.Spec.Password,
		DialTimeout: time.Second, ReadTimeout: time.Second, MaxRedirects: 16})
	defer rdb.Close()
	w := &testutil.AckWriter{Master: rdb.MasterForKey}
	stop := w.Start(ctx)
	time.Sleep(500 * time.Millisecond) // let the writer get going before the crash

	killed, err := KillMaster(ctx, s.Name, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	newMaster := waitForNewMaster(t, s.Name, killed, o)
	time.Sleep(500 * time.Millisecond) // writes after the switch
	stop()
	t.Logf("killed %s, %s took over; %d writes acknowledged, %d failed during the switch", killed, newMaster, len(w.Acked()), w.Fails())
	checkAcked(t, res, w.Acked())
	if err := StartNode(ctx, killed, o); err != nil {
		t.Fatal(err)
	}
	if err := WaitHealthy(ctx, s.Name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
	st, err := GetStatus(ctx, s.Name, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range st.Nodes {
		if n.Name == killed && (n.Role != "replica" || n.Master != newMaster) {
			t.Errorf("old master %s rejoined as %s of %q, want replica of %s", killed, n.Role, n.Master, newMaster)
		}
	}
}

// waitForNewMaster waits until slot 0 is served by a node other than the
// killed one and returns that node's container name.
func waitForNewMaster(t *testing.T, name, killed string, o Options) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		c, err := MasterOf(context.Background(), name, 0, o)
		if err == nil && c.Name != killed {
			return c.Name
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no replica took over slot 0 from %s within a minute", killed)
	return ""
}

// checkAcked reads every acknowledged write back with a fresh client. A
// node that still routes to the dead master gives a connection error,
// which is retried after a slot map reload; a wrong or missing value
// fails at once.
func checkAcked(t *testing.T, res *Result, acked map[string]string) {
	t.Helper()
	ctx := context.Background()
	check := redis.NewClusterClient(&redis.ClusterOptions{Addrs: res.Seeds(), Password: res.Spec.Password,
		ClusterStateReloadInterval: 200 * time.Millisecond})
	defer check.Close()
	deadline := time.Now().Add(30 * time.Second)
	for k, v := range acked {
		for {
			got, err := check.Get(ctx, k).Result()
			if err == nil && got == v {
				break
			}
			if err == nil || err == redis.Nil || time.Now().After(deadline) {
				t.Fatalf("acknowledged write %s=%s lost: got %q, %v", k, v, got, err)
			}
			check.ReloadState(ctx)
			time.Sleep(100 * time.Millisecond)
		}
	}
}
