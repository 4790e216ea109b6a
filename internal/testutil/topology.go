package testutil

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// AssertClientTopology fails t unless CLUSTER SLOTS, asked once on every
// node at addrs, hands out masters masters with replicas replicas each,
// and every node gives the same endpoints: the topology a client that
// reads from replicas gets. It only reads; call it right after the
// operation whose result it judges, before anything writes.
func AssertClientTopology(t testing.TB, addrs []string, password string, masters, replicas int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	views := map[string][]string{}
	for _, addr := range addrs {
		c := redis.NewClient(&redis.Options{Addr: addr, Password: password})
		slots, err := c.ClusterSlots(ctx).Result()
		c.Close()
		if err != nil {
			t.Fatalf("CLUSTER SLOTS on %s: %v", addr, err)
		}
		view, problem := describeTopology(slots, masters, replicas)
		if problem != "" {
			t.Fatalf("CLUSTER SLOTS on %s: %s", addr, problem)
		}
		views[view] = append(views[view], addr)
	}
	if len(views) != 1 {
		t.Fatalf("nodes hand out different topologies: %v", views)
	}
}

// describeTopology renders slots as master -> replicas (endpoints and
// IDs) and says what differs from the wanted shape.
func describeTopology(slots []redis.ClusterSlot, masters, replicas int) (string, string) {
	shards := map[string]string{}
	covered := 0
	for _, s := range slots {
		covered += s.End - s.Start + 1
		if len(s.Nodes) != 1+replicas {
			return "", fmt.Sprintf("slots %d-%d have %d replicas, want %d", s.Start, s.End, len(s.Nodes)-1, replicas)
		}
		var rs []string
		for _, n := range s.Nodes[1:] {
			rs = append(rs, n.ID+"@"+n.Addr)
		}
		sort.Strings(rs)
		shards[s.Nodes[0].ID+"@"+s.Nodes[0].Addr] = strings.Join(rs, ",")
	}
	if covered != 16384 || len(shards) != masters {
		return "", fmt.Sprintf("%d slots covered by %d masters, want 16384 by %d", covered, len(shards), masters)
	}
	var out []string
	for m, rs := range shards {
		out = append(out, m+" ["+rs+"]")
	}
	sort.Strings(out)
	return strings.Join(out, "; "), ""
}
