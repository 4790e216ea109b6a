package cluster

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
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

// TestIntegrationManualFailover promotes a replica with CLUSTER FAILOVER
// while its master is up, then kills another master and promotes its
// replica at once with FORCE, before the cluster would on its own.
func TestIntegrationManualFailover(t *testing.T) {
	ctx := context.Background()
	// FORCE must win clearly over the automatic failover.
	d, s, o, res := upTest(t, "mfailover", func(s *spec.Spec) { s.NodeTimeout = 5000 })
	withKeys(t, res, "k", 2000)

	old, replica := masterAndReplica(t, s.Name, 0, o)
	fr, err := Failover(ctx, s.Name, replica.Port, FailoverOptions{}, o)
	if err != nil {
		t.Fatal(err)
	}
	if fr.OldMaster != old || fr.Node != replica.Name || fr.Slots == 0 {
		t.Errorf("failover result %+v, want %s taking over from %s", fr, replica.Name, old)
	}
	if err := WaitHealthy(ctx, s.Name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
	if _, r := masterAndReplica(t, s.Name, 0, o); r.Name != old {
		t.Errorf("after the failover %s is not the replica of slot 0's master (got %s)", old, r.Name)
	}
	if _, err := Failover(ctx, s.Name, replica.Port, FailoverOptions{}, o); err == nil || !strings.Contains(err.Error(), "master already") {
		t.Errorf("failover of a master: want an error saying it is a master already, got %v", err)
	}

	dead, replica2 := masterAndReplica(t, s.Name, 16383, o)
	c, err := MasterOf(ctx, s.Name, 16383, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Kill(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	if _, err := Failover(ctx, s.Name, replica2.Port, FailoverOptions{Force: true}, o); err != nil {
		t.Fatal(err)
	}
	t.Logf("FORCE failover from the killed %s to %s took %s", dead, replica2.Name, time.Since(begin))
	if now, err := MasterOf(ctx, s.Name, 16383, o); err != nil || now.Name != replica2.Name {
		t.Errorf("slot 16383 is served by %s (%v), want %s", now.Name, err, replica2.Name)
	}
	fresh := redis.NewClusterClient(&redis.ClusterOptions{Addrs: res.Seeds(), Password: res.Spec.Password})
	defer fresh.Close()
	testutil.CheckKeys(t, fresh, "k", 2000)
	if err := StartNode(ctx, dead, o); err != nil {
		t.Fatal(err)
	}
	if err := WaitHealthy(ctx, s.Name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
}

// masterAndReplica names the master serving slot and one replica of it.
func masterAndReplica(t *testing.T, name string, slot int, o Options) (string, NodeStatus) {
	t.Helper()
	m, err := MasterOf(context.Background(), name, slot, o)
	if err != nil {
		t.Fatal(err)
	}
	st := mustStatus(t, name, o)
	for _, n := range st.Nodes {
		if n.Role == "replica" && n.Master == m.Name {
			return m.Name, n
		}
	}
	t.Fatalf("master %s of slot %d has no replica: %+v", m.Name, slot, st.Nodes)
	return "", NodeStatus{}
}
