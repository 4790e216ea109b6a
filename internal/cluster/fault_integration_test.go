package cluster

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationStatusAndHealDeadNodes kills a master, stops another
// master's replica and cuts a third replica off the network, in a cluster
// with keys. After the failover, status names the dead nodes as down, is
// not healthy and shows no node as anyone's master that is not; heal
// starts and reconnects them, says so, and the cluster is healthy with
// every key and the same node IDs.
func TestIntegrationStatusAndHealDeadNodes(t *testing.T) {
	ctx := context.Background()
	_, s, o, res := upTest(t, "dead", nil)
	withKeys(t, res, "k", 5000)

	before := mustStatus(t, s.Name, o)
	ids := map[string]string{}
	for _, n := range before.Nodes {
		ids[n.Name] = n.ID
	}
	master, replica := deadPair(t, before)
	cut := otherReplica(t, before, master, replica)
	if _, err := Inject(ctx, s.Name, "kill", []string{master.Name}, o); err != nil {
		t.Fatal(err)
	}
	if _, err := Inject(ctx, s.Name, "stop", []string{replica.Name}, o); err != nil {
		t.Fatal(err)
	}
	if f, err := Inject(ctx, s.Name, "partition", []string{itoa(cut.Port)}, o); err != nil || f.Nodes[0].Container != cut.Name {
		t.Fatalf("partition %d: %v, %v", cut.Port, f, err)
	}
	slot := master.firstSlot(t)
	if _, err := WaitFailover(ctx, s.Name, slot, master.ID, time.Minute, o); err != nil {
		t.Fatal(err)
	}
	if err := WaitServing(ctx, s.Name, time.Minute, o); err != nil {
		t.Fatal(err)
	}

	st := mustStatus(t, s.Name, o)
	checkDownStatus(t, st, master.Name, replica.Name)

	hr, err := Heal(ctx, s.Name, HealOptions{Wait: 2 * time.Minute}, o)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(hr.Started)
	if want := []string{master.Name, replica.Name}; !slices.Equal(hr.Started, want) && !slices.Equal(hr.Started, []string{replica.Name, master.Name}) {
		t.Errorf("heal started %v, want %v", hr.Started, want)
	}
	if !slices.Equal(hr.Reconnected, []string{cut.Name}) {
		t.Errorf("heal reconnected %v, want %s", hr.Reconnected, cut.Name)
	}
	after, err := GetStatus(ctx, s.Name, o)
	if err != nil || !after.Healthy {
		t.Fatalf("after heal: healthy=%v err=%v problems=%v", after != nil && after.Healthy, err, after.Problems)
	}
	for _, n := range after.Nodes {
		if ids[n.Name] != n.ID {
			t.Errorf("%s came back as node %s, was %s", n.Name, n.ID, ids[n.Name])
		}
	}
	checkKeys(t, clientFor(res), 5000)
	testutil.RedisCliCheck(t, res.Seeds()[0], res.Spec.Password)
}

type statusNode NodeStatus

func (n statusNode) firstSlot(t *testing.T) int {
	t.Helper()
	first, _, _ := strings.Cut(n.Slots, "-")
	slot, err := itoaBack(first)
	if err != nil {
		t.Fatalf("master %s has slots %q", n.Name, n.Slots)
	}
	return slot
}

// deadPair picks a master and a replica of another master: the cluster
// keeps every slot served with both dead.
func deadPair(t *testing.T, st *Status) (statusNode, statusNode) {
	t.Helper()
	var m, r statusNode
	for _, n := range st.Nodes {
		if n.Role == "master" && m.Name == "" {
			m = statusNode(n)
		}
	}
	for _, n := range st.Nodes {
		if n.Role == "replica" && n.Master != m.Name && r.Name == "" {
			r = statusNode(n)
		}
	}
	if m.Name == "" || r.Name == "" {
		t.Fatalf("no master and replica of another master in %+v", st.Nodes)
	}
	return m, r
}

// otherReplica picks a replica of neither master nor replica's master.
func otherReplica(t *testing.T, st *Status, master, replica statusNode) statusNode {
	t.Helper()
	for _, n := range st.Nodes {
		if n.Role == "replica" && n.Name != replica.Name && n.Master != master.Name && n.Master != replica.Master {
			return statusNode(n)
		}
	}
	t.Fatalf("no third replica in %+v", st.Nodes)
	return statusNode{}
}

// checkDownStatus: the dead nodes are named as down, the cluster is not
// healthy, every node is listed once, and no dead or ID-less node is
// anyone's master.
func checkDownStatus(t *testing.T, st *Status, dead ...string) {
	t.Helper()
	if st.Healthy {
		t.Errorf("status says healthy with %v down", dead)
	}
	if len(st.Nodes) != 6 {
		t.Errorf("status lists %d nodes, want 6", len(st.Nodes))
	}
	for _, name := range dead {
		if !slices.ContainsFunc(st.Problems, func(p string) bool { return strings.HasPrefix(p, name+" is down") }) {
			t.Errorf("status problems do not name %s as down: %q", name, st.Problems)
		}
	}
	for _, n := range st.Nodes {
		if n.Role == "master" && n.Master != "" {
			t.Errorf("master %s shown with master %q", n.Name, n.Master)
		}
		if n.Role == "replica" && slices.Contains(dead, n.Master) {
			t.Errorf("replica %s shown with dead master %s after the failover", n.Name, n.Master)
		}
		if slices.Contains(dead, n.Name) && (n.ID != "" || n.Role != "-") {
			t.Errorf("dead node %s shown with ID %q, role %q", n.Name, n.ID, n.Role)
		}
	}
}

func itoaBack(s string) (int, error) { return strconv.Atoi(s) }
