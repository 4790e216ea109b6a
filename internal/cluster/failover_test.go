package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

func TestIntegrationFailover(t *testing.T) {
	ctx := context.Background()
	_, s, o, res := upTest(t, "failover", nil)
	rdb := failoverClient(res)
	defer rdb.Close()
	w := &testutil.AckWriter{Master: rdb.MasterForKey}
	stop := w.Start(ctx)
	killed := killMasterAfterWrites(t, w, s.Name, o)
	newMaster := waitForNewMaster(t, s.Name, killed.Name, o)
	time.Sleep(500 * time.Millisecond) // writes after the switch
	stop()
	acked := w.Acked(t, killed.Port, minAckedOnKilled)
	t.Logf("killed %s, %s took over; %d writes acknowledged (%d on %s), %d failed during the switch",
		killed.Name, newMaster, len(acked), w.AckedOn(killed.Port), killed.Name, w.Fails())
	checkAcked(t, res, acked)
	if err := StartNode(ctx, killed.Name, o); err != nil {
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
		if n.Name == killed.Name && (n.Role != "replica" || n.Master != newMaster) {
			t.Errorf("old master %s rejoined as %s of %q, want replica of %s", killed.Name, n.Role, n.Master, newMaster)
		}
	}
}

// minAckedOnKilled is how many writes a replica must have acknowledged
// on the master a failover test kills, before the kill: "no acknowledged
// write is lost" proves nothing about writes that never landed there.
const minAckedOnKilled = 100

// killMasterAfterWrites waits until the master of slot 0 acknowledged
// minAckedOnKilled writes of w, then kills it (SIGKILL, as a crash).
func killMasterAfterWrites(t *testing.T, w *testutil.AckWriter, name string, o Options) docker.Container {
	t.Helper()
	ctx := context.Background()
	m, err := MasterOf(ctx, name, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	w.WaitAcked(t, m.Port, minAckedOnKilled)
	killed, err := KillMaster(ctx, name, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	if killed != m.Name {
		t.Fatalf("killed %s, but %s was the master of slot 0 the writes were counted on", killed, m.Name)
	}
	return m
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

// checkAcked reads every acknowledged write back with a fresh client
// that reloads its slot map often (testutil.CheckAcked).
func checkAcked(t *testing.T, res *Result, acked map[string]string) {
	t.Helper()
	check := redis.NewClusterClient(&redis.ClusterOptions{Addrs: res.Seeds(), Password: res.Spec.Password,
		ClusterStateReloadInterval: 200 * time.Millisecond})
	defer check.Close()
	testutil.CheckAcked(t, check, acked)
}
