package sentinel

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// TestIntegrationSentinelCascade chains master -> replica 1 -> replica 2
// under one sentinel: a write on the master reaches the end of the chain,
// and INFO replication shows the chain.
func TestIntegrationSentinelCascade(t *testing.T) {
	ctx := context.Background()
	s, o, res := upTest(t, "sentinel-cascade", func(s *spec.Spec) { s.Cascade, s.Sentinels = true, 1 })
	addrs := res.DataAddrs()
	clients := make([]*redis.Client, len(addrs))
	for i, a := range addrs {
		clients[i] = redis.NewClient(&redis.Options{Addr: a, Password: res.Spec.Password})
		defer clients[i].Close()
	}
	if err := clients[0].Set(ctx, "chained", "yes", 0).Err(); err != nil {
		t.Fatal(err)
	}
	last := clients[len(clients)-1]
	var got string
	for deadline := time.Now().Add(10 * time.Second); got != "yes" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		got, _ = last.Get(ctx, "chained").Result()
	}
	if got != "yes" {
		t.Fatalf("the last replica %s never saw the write on the master (got %q)", addrs[len(addrs)-1], got)
	}
	for i, c := range clients {
		info, err := c.Info(ctx, "replication").Result()
		if err != nil {
			t.Fatal(err)
		}
		r := redisx.ParseReplication(redisx.ParseInfo(info))
		if i > 0 && (r.IsMaster() || !r.LinkUp || r.MasterPort != res.Nodes[i-1].Port) {
			t.Errorf("node %d: role %s, follows port %d (link up %v), want replica of port %d", i, r.Role, r.MasterPort, r.LinkUp, res.Nodes[i-1].Port)
		}
		if next := i + 1; next < len(clients) && (len(r.Replicas) != 1 || r.Replicas[0].Port != res.Nodes[next].Port) {
			t.Errorf("node %d: replicas %+v, want just port %d", i, r.Replicas, res.Nodes[next].Port)
		}
	}
	st := checkStatus(t, s.Name, o, 2, 1)
	for i, n := range st.Nodes[1:] {
		if n.Follows != st.Nodes[i].Name {
			t.Errorf("status: %s follows %q, want %s", n.Name, n.Follows, st.Nodes[i].Name)
		}
	}
}

// TestIntegrationSentinelHostNetwork runs the group on the host's network:
// the sentinels hand out 127.0.0.1 addresses, which work from the host on
// Linux and on Docker Desktop's host networking alike.
func TestIntegrationSentinelHostNetwork(t *testing.T) {
	s, o, res := upTest(t, "sentinel-host", func(s *spec.Spec) { s.Network, s.Replicas = spec.NetworkHost, 1 })
	rdb := failoverClient(res)
	defer rdb.Close()
	writeRead(t, rdb, "host", 100)
	st := checkStatus(t, s.Name, o, 1, 3)
	for _, v := range st.Sentinels {
		if v.Master != res.DataAddrs()[0] {
			t.Errorf("sentinel %s hands out %s, want %s", v.Name, v.Master, res.DataAddrs()[0])
		}
	}
}
