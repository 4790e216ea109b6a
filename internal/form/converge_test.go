package form

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

const convergePW = "converge-pw"

// localCluster is a 3x1 cluster of redis-server processes on loopback:
// a node "moves" by restarting on another 127.0.0.x address, as a Swarm
// task does when it is replaced.
type localCluster struct {
	t     *testing.T
	plan  topology.Plan
	ips   []string
	dirs  []string
	procs []*testutil.RedisProc
}

func newLocalCluster(t *testing.T) *localCluster {
	port := testutil.FreePortRange(t, 6)
	lc := &localCluster{t: t, plan: topology.New(topology.Params{Cluster: "conv", Masters: 3, Replicas: 1, Port: port, BusPort: port + 10000})}
	for range lc.plan.Nodes {
		lc.ips = append(lc.ips, "127.0.0.1")
		lc.dirs = append(lc.dirs, t.TempDir())
		lc.procs = append(lc.procs, nil)
	}
	for i := range lc.plan.Nodes {
		lc.start(i)
	}
	return lc
}

func (lc *localCluster) start(i int) {
	n := lc.plan.Nodes[i]
	conf, err := templates.RenderNode(templates.Settings{Password: convergePW, Cluster: true, NodeTimeout: 1000, AppendOnly: true},
		templates.Node{Name: n.Name, Port: n.Port, BusPort: n.BusPort, Bind: []string{lc.ips[i]}, AnnounceIP: lc.ips[i], Dir: lc.dirs[i]})
	if err != nil {
		lc.t.Fatal(err)
	}
	lc.procs[i] = testutil.StartRedis(lc.t, lc.dirs[i], conf, lc.ips[i], n.Port)
}

// move restarts node i on ip, with its data (fresh: without).
func (lc *localCluster) move(i int, ip string, fresh bool) {
	lc.procs[i].Stop()
	lc.ips[i] = ip
	if fresh {
		lc.dirs[i] = lc.t.TempDir()
	}
	lc.start(i)
}

func (lc *localCluster) cluster() *Cluster {
	c := &Cluster{Name: "conv", Password: convergePW, Wait: 45 * time.Second}
	for i, n := range lc.plan.Nodes {
		c.Members = append(c.Members, Member{Node: n, Admin: net.JoinHostPort(lc.ips[i], strconv.Itoa(n.Port)), PeerIP: lc.ips[i]})
	}
	return c
}

func (lc *localCluster) ids(ctx context.Context) []string {
	var out []string
	for _, n := range lc.cluster().Dial() {
		id, err := n.MyID(ctx)
		n.Close()
		if err != nil {
			lc.t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

func (lc *localCluster) seeds() []string {
	var out []string
	for _, m := range lc.cluster().Members {
		out = append(out, m.Admin)
	}
	return out
}

// TestConvergeHealsMovedNodes forms a cluster, then moves a master and a
// replica to new addresses with their data: Converge heals it with the
// same node IDs and every key. Then a replica comes back empty (its
// volume lost): it follows a master again and its old ID is forgotten.
func TestConvergeHealsMovedNodes(t *testing.T) {
	lc := newLocalCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	formed, err := lc.cluster().Converge(ctx)
	if err != nil || !formed {
		t.Fatalf("first Converge: formed %v, err %v", formed, err)
	}
	before := lc.ids(ctx)
	if err := redisx.WriteKeys(ctx, lc.seeds(), redisx.Auth{Password: convergePW}, "k", 3000); err != nil {
		t.Fatal(err)
	}
	lc.move(1, "127.0.0.2", false)
	lc.move(4, "127.0.0.3", false)
	formed, err = lc.cluster().Converge(ctx)
	if err != nil || formed {
		t.Fatalf("Converge after moves: formed %v, err %v", formed, err)
	}
	if after := lc.ids(ctx); !equal(after, before) {
		t.Errorf("node IDs changed: %v, were %v", after, before)
	}
	if err := redisx.CheckKeys(ctx, lc.seeds(), redisx.Auth{Password: convergePW}, "k", 3000); err != nil {
		for i, n := range lc.cluster().Dial() {
			k, _ := n.DBSize(ctx)
			nodes, _ := n.Nodes(ctx)
			me, _ := redisx.Myself(nodes)
			t.Logf("node %d %s keys %d master=%v slots=%s", i, n.Addr, k, me.IsMaster(), me.SlotString())
		}
		t.Logf("slot of k:503 = %d", redisx.Slot("k:503"))
		t.Fatalf("keys after the moves: %v", err)
	}
	lc.move(5, "127.0.0.4", true)
	if _, err := lc.cluster().Converge(ctx); err != nil {
		t.Fatalf("Converge after a lost volume: %v", err)
	}
	after := lc.ids(ctx)
	if after[5] == before[5] {
		t.Errorf("the emptied node kept its ID %s", after[5])
	}
	if err := redisx.CheckKeys(ctx, lc.seeds(), redisx.Auth{Password: convergePW}, "k", 3000); err != nil {
		t.Fatalf("keys after the lost volume: %v", err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
