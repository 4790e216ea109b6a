package cluster

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// TestIntegrationHeal breaks a cluster three ways and heals it each time:
// every node on a new address at once (Redis cannot recover from that by
// itself), a slot left open by an interrupted move, and a slot nobody
// serves (covered only with CoverSlots).
func TestIntegrationHeal(t *testing.T) {
	ctx := context.Background()
	_, s, o, res := upTest(t, "heal", func(s *spec.Spec) { s.Replicas = 0 })
	rdb := withKeys(t, res, "k", 5000)

	moveAllAddresses(t, s.Name, o)
	hr, err := Heal(ctx, s.Name, HealOptions{}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(hr.Remet) != 3 {
		t.Errorf("heal re-met %v, want all 3 nodes", hr.Remet)
	}
	fresh := func() *redis.ClusterClient { return clientFor(res) }
	checkKeys(t, fresh(), 5000)
	testutil.RedisCliCheck(t, res.Seeds()[0], res.Spec.Password)

	leaveSlotOpen(t, s, rdb, res.Spec.Password, "k:1", false, o)
	leaveSlotOpen(t, s, rdb, res.Spec.Password, "k:3", true, o)
	if hr, err = Heal(ctx, s.Name, HealOptions{}, o); err != nil || hr.Closed != 2 {
		t.Fatalf("heal of two open slots: closed %d, err %v", hr.Closed, err)
	}
	checkKeys(t, fresh(), 5000)

	slot := unassignSlot(t, s, rdb, res.Spec.Password, o)
	if _, err = Heal(ctx, s.Name, HealOptions{Wait: 3 * time.Second}, o); err == nil || !strings.Contains(err.Error(), "--cover-slots") {
		t.Fatalf("heal with slot %d unassigned and no CoverSlots: want an error naming --cover-slots, got %v", slot, err)
	}
	if hr, err = Heal(ctx, s.Name, HealOptions{CoverSlots: true}, o); err != nil || hr.Covered != 1 {
		t.Fatalf("heal with CoverSlots: covered %d, err %v", hr.Covered, err)
	}
	if len(hr.Lost) != 1 || hr.Lost[0].Count != 1 || hr.Lost[0].Slots != strconv.Itoa(slot) || hr.Lost[0].Kept == 0 {
		t.Errorf("heal with CoverSlots reports lost %+v, want slot %d with its keys kept", hr.Lost, slot)
	}
	checkKeys(t, fresh(), 5000)
	testutil.RedisCliCheck(t, res.Seeds()[0], res.Spec.Password)
}

func checkKeys(t *testing.T, rdb *redis.ClusterClient, n int) {
	t.Helper()
	defer rdb.Close()
	testutil.CheckKeys(t, rdb, "k", n)
}

// moveAllAddresses reconnects every node to the cluster network with
// another static address.
func moveAllAddresses(t *testing.T, name string, o Options) {
	t.Helper()
	ctx := context.Background()
	subnet, _, err := o.Docker.NetworkSubnet(ctx, NetworkName(name))
	if err != nil {
		t.Fatal(err)
	}
	cts, err := o.Docker.List(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cts {
		if err := o.Docker.Reconnect(ctx, c.ID, NetworkName(name), topology.HostAddr(subnet, 200+c.Index)); err != nil {
			t.Fatal(err)
		}
	}
}

// leaveSlotOpen leaves the slot of key as an interrupted move does: IMPORTING
// on another master, MIGRATING on its owner, key moved already; with
// assigned, the target has taken the slot too (SETSLOT NODE on the
// target only), so only the owner's MIGRATING state is left.
func leaveSlotOpen(t *testing.T, s spec.Spec, rdb *redis.ClusterClient, pw, key string, assigned bool, o Options) {
	t.Helper()
	ctx, name := context.Background(), s.Name
	slot := int(rdb.ClusterKeySlot(ctx, key).Val())
	owner, err := MasterOf(ctx, name, slot, o)
	if err != nil {
		t.Fatal(err)
	}
	cts, err := o.Docker.List(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	target := cts[0]
	if target.ID == owner.ID {
		target = cts[1]
	}
	src, dst := adminClient(s, owner.Port, pw), adminClient(s, target.Port, pw)
	defer src.Close()
	defer dst.Close()
	srcID, dstID := src.Do(ctx, "CLUSTER", "MYID").Val(), dst.Do(ctx, "CLUSTER", "MYID").Val()
	ip, err := o.Docker.IP(ctx, target.ID, NetworkName(name))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		n    *redis.Client
		args []any
	}{
		{dst, []any{"CLUSTER", "SETSLOT", slot, "IMPORTING", srcID}},
		{src, []any{"CLUSTER", "SETSLOT", slot, "MIGRATING", dstID}},
	}
	keys := []any{key}
	if assigned {
		keys = nil
		for _, k := range src.ClusterGetKeysInSlot(ctx, slot, 1000).Val() {
			keys = append(keys, k)
		}
	}
	steps = append(steps, struct {
		n    *redis.Client
		args []any
	}{src, append([]any{"MIGRATE", ip.String(), target.Port, "", 0, 5000, "AUTH", pw, "KEYS"}, keys...)})
	if assigned {
		steps = append(steps, struct {
			n    *redis.Client
			args []any
		}{dst, []any{"CLUSTER", "SETSLOT", slot, "NODE", dstID}})
	}
	for _, st := range steps {
		if err := st.n.Do(ctx, st.args...).Err(); err != nil {
			t.Fatalf("%v: %v", st.args[:4], err)
		}
	}
}

// unassignSlot removes the slot of key k:2 from every node's map (CLUSTER
// DELSLOTS); its keys stay on the node that served it.
func unassignSlot(t *testing.T, s spec.Spec, rdb *redis.ClusterClient, pw string, o Options) int {
	t.Helper()
	ctx, name := context.Background(), s.Name
	slot := int(rdb.ClusterKeySlot(ctx, "k:2").Val())
	cts, err := o.Docker.List(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cts {
		n := adminClient(s, c.Port, pw)
		err := n.Do(ctx, "CLUSTER", "DELSLOTS", slot).Err()
		n.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return slot
}

func adminClient(s spec.Spec, port int, pw string) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: AdminAddr(s, port), Password: pw})
}
