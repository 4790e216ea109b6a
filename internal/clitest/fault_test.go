package clitest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// checkFaultAndWait rehearses a crash by hand: `fault kill` of the master
// that owns a key acknowledged with WAIT 1, `wait failover` of its slot,
// `wait serving`, status not healthy, `heal` starting the killed node,
// `wait healthy`, and the key still there.
func checkFaultAndWait(t *testing.T, name string, pw string) {
	t.Helper()
	ctx := context.Background()
	st := checkHealthy(t, name, 3, 3)
	victim := st.ports("master")[0]
	c := redis.NewClient(&redis.Options{Addr: "localhost:" + strconv.Itoa(victim), Password: pw})
	defer c.Close()
	slot := ownSlot(t, c)
	key := keyInSlot(t, c, slot)
	if err := c.Set(ctx, key, "kept", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Do(ctx, "WAIT", 1, 5000).Int(); err != nil || n < 1 {
		t.Fatalf("WAIT 1 on the master of %s: %d, %v", key, n, err)
	}
	v := strconv.Itoa(victim)
	if r := mustRun(t, "fault", "kill", "--name", name, v); !strings.Contains(r.stdout+r.stderr, v) {
		t.Fatalf("fault kill: want the killed node named:\n%s", r)
	}
	mustRun(t, "wait", "failover", "--name", name, strconv.Itoa(slot))
	mustRun(t, "wait", "serving", "--name", name)
	if after, r := status(t, name); r.code != 2 || after.Healthy {
		t.Fatalf("status with a killed master: want exit 2, not healthy:\n%s", r)
	}
	if r := mustRun(t, "heal", "--name", name); !strings.Contains(r.stderr+r.stdout, "Starting 1 stopped node") {
		t.Fatalf("heal: want the killed node started:\n%s", r)
	}
	mustRun(t, "wait", "healthy", "--name", name)
	checkHealthy(t, name, 3, 3)
	rdb := newClient(victim, pw)
	defer rdb.Close()
	if got, err := rdb.Get(ctx, key).Result(); err != nil || got != "kept" {
		t.Fatalf("after failover and heal, %s = %q, %v; want the acknowledged value", key, got, err)
	}
}

// ownSlot returns the first slot master c serves.
func ownSlot(t *testing.T, c *redis.Client) int {
	t.Helper()
	id := nodeID(t, c)
	slots, err := c.ClusterSlots(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slots {
		if len(s.Nodes) > 0 && s.Nodes[0].ID == id {
			return s.Start
		}
	}
	t.Fatalf("master %s serves no slot", id)
	return 0
}

// nodeID is the node's CLUSTER MYID.
func nodeID(t *testing.T, c *redis.Client) string {
	t.Helper()
	id, err := c.Do(context.Background(), "CLUSTER", "MYID").Text()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// keyInSlot finds a key hashing to slot, asking the node (CLUSTER KEYSLOT).
func keyInSlot(t *testing.T, c *redis.Client, slot int) string {
	t.Helper()
	for i := 0; i < 200000; i++ {
		k := "fault:" + strconv.Itoa(i)
		if s, err := c.ClusterKeySlot(context.Background(), k).Result(); err == nil && int(s) == slot {
			return k
		}
	}
	t.Fatalf("no key found in slot %d", slot)
	return ""
}
