package sentinel

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/templates"
)

func TestIntegrationSentinelFailover(t *testing.T) {
	ctx := context.Background()
	s, o, res := upTest(t, "sentinel-failover", nil)
	rdb := failoverClient(res)
	defer rdb.Close()
	old, err := Master(ctx, s.Name, o)
	if err != nil {
		t.Fatal(err)
	}
	w := &testutil.AckWriter{Master: func(context.Context, string) (*redis.Client, error) { return rdb, nil }}
	stop := w.Start(ctx)
	w.WaitAcked(t, old.Port, minAckedOnKilled) // writes that landed on the master about to crash

	killed := time.Now()
	if err := o.Docker.Kill(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	promoted := waitForNewMaster(t, res, old.Port)
	switched := time.Since(killed)
	served := waitForWrite(t, rdb) // the client keeps working after the switch
	writable := time.Since(killed)
	time.Sleep(500 * time.Millisecond) // acknowledged writes after the switch too
	stop()
	acked := w.Acked(t, old.Port, minAckedOnKilled)
	t.Logf("killed %s; sentinels handed out %s after %s; the client wrote through it after %s; %d writes acknowledged (%d on %s), %d failed during the switch",
		old.Name, promoted, switched.Round(time.Millisecond), writable.Round(time.Millisecond), len(acked), w.AckedOn(old.Port), old.Name, w.Fails())
	if !served {
		t.Fatal("the failover client never wrote again after the switch")
	}
	checkAcked(t, res, acked)
	checkRejoin(t, o.Docker, res, old)
}

// minAckedOnKilled is how many writes a replica must have acknowledged on
// the master the test kills, before the kill.
const minAckedOnKilled = 100

// waitForNewMaster waits until every sentinel hands out a master on
// another port than the killed one and returns that address.
func waitForNewMaster(t *testing.T, r *Result, killedPort int) string {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		agreed := ""
		for _, addr := range r.SentinelAddrs() {
			sc := redis.NewSentinelClient(&redis.Options{Addr: addr, Password: r.Spec.Password})
			got, err := sc.GetMasterAddrByName(ctx, r.MasterName()).Result()
			sc.Close()
			if err != nil || len(got) != 2 || got[1] == fmt.Sprint(killedPort) || (agreed != "" && agreed != got[0]+":"+got[1]) {
				agreed = "-"
				break
			}
			agreed = got[0] + ":" + got[1]
		}
		if agreed != "-" {
			return agreed
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the sentinels did not agree on a new master within a minute")
	return ""
}

// waitForWrite retries one write through the client for up to 30 s.
func waitForWrite(t *testing.T, rdb *redis.Client) bool {
	t.Helper()
	ctx := context.Background()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err := rdb.Set(ctx, "after-switch", "1", 0).Err(); err == nil {
			return true
		}
	}
	return false
}

// checkAcked reads every acknowledged write back through a fresh client.
func checkAcked(t *testing.T, r *Result, acked map[string]string) {
	t.Helper()
	rdb := failoverClient(r)
	defer rdb.Close()
	testutil.CheckAcked(t, rdb, acked)
}

// checkRejoin starts the killed master again and waits for the sentinels
// to turn it into a replica of the new master; the new master's config
// (rewritten by CONFIG REWRITE on the sentinels' order) has no replicaof.
func checkRejoin(t *testing.T, d *docker.Client, r *Result, old docker.Container) {
	t.Helper()
	ctx := context.Background()
	o := provision.Options{Docker: d}
	if err := d.Start(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := WaitHealthy(ctx, r.Spec.Name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
	st, err := GetStatus(ctx, r.Spec.Name, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s rejoined after %s; master is now %s", old.Name, time.Since(began).Round(time.Millisecond), st.Master)
	for _, n := range st.Nodes {
		if n.Name == old.Name && (n.Role != "replica" || n.Follows != st.Master || n.Link != "up") {
			t.Errorf("old master %s rejoined as %s of %q (link %s), want replica of %s", old.Name, n.Role, n.Follows, n.Link, st.Master)
		}
	}
	master, err := Master(ctx, r.Spec.Name, o)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := d.ReadFile(ctx, master.ID, cluster.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	if args, ok := templates.Directive(conf, "replicaof"); ok {
		t.Errorf("the promoted master's redis.conf still says replicaof %s", strings.Join(args, " "))
	}
}
