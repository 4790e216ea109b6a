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
	_, s, o, res := upTest(t, "failover", nil)
	killed, newMaster := failoverUnderWrites(t, s.Name, o, res)
	st := mustStatus(t, s.Name, o)
	for _, n := range st.Nodes {
		if n.Name == killed && (n.Role != "replica" || n.Master != newMaster) {
			t.Errorf("old master %s rejoined as %s of %q, want replica of %s", killed, n.Role, n.Master, newMaster)
		}
	}
}

// failoverUnderWrites kills the master of slot 0 of a cluster that an
// AckWriter writes to, waits for a replica to take over, reads back
// every acknowledged write, then starts the killed node again and waits
// for health. It returns the killed node's name and the new master's.
func failoverUnderWrites(t *testing.T, name string, o Options, res *Result) (killed, newMaster string) {
	t.Helper()
	ctx := context.Background()
	rdb := failoverClient(res)
	defer rdb.Close()
	w := &testutil.AckWriter{Master: rdb.MasterForKey}
	stop := w.Start(ctx)
	m := killMasterAfterWrites(t, w, name, o)
	newMaster = waitForNewMaster(t, name, m.Name, o)
	time.Sleep(500 * time.Millisecond) // writes after the switch
	stop()
	acked := w.Acked(t, m.Port, minAckedOnKilled)
	t.Logf("killed %s, %s took over; %d writes acknowledged (%d on %s), %d failed during the switch",
		m.Name, newMaster, len(acked), w.AckedOn(m.Port), m.Name, w.Fails())
	checkAcked(t, res, acked)
	if err := StartNode(ctx, m.Name, o); err != nil {
		t.Fatal(err)
	}
	if err := WaitHealthy(ctx, name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
	return m.Name, newMaster
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
	check := redis.NewClusterClient(&redis.ClusterOptions{Addrs: res.Seeds(), Username: res.Spec.AdminUser(), Password: res.Spec.Password,
		ClusterStateReloadInterval: 200 * time.Millisecond})
	defer check.Close()
	testutil.CheckAcked(t, check, acked)
}
