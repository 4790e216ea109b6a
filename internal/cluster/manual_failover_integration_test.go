package cluster

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

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
