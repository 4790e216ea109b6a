//go:build !nodeimage

package redisdock_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/redisdocktest"
)

// TestIntegrationSentinelFaultKit: kill the master of a sentinel group
// after a write its replicas acknowledged, wait for the failover, and
// read the write with the next command of the failover client.
func TestIntegrationSentinelFaultKit(t *testing.T) {
	requireEngine(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	g := redisdocktest.StartSentinel(t, redisdocktest.Options{Replicas: 2})
	rdb := g.Client()
	if err := rdb.Set(ctx, "cart:1", "3 apples", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := rdb.Do(ctx, "WAIT", 2, 5000).Int(); err != nil || n < 2 {
		t.Fatalf("WAIT 2: %d replicas acknowledged, %v", n, err)
	}
	killed, err := g.KillMaster(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := g.WaitFailover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.Container == killed {
		t.Fatalf("WaitFailover returned the killed master %s", killed)
	}
	if v, err := rdb.Get(ctx, "cart:1").Result(); err != nil || v != "3 apples" {
		t.Fatalf("first GET after WaitFailover (new master %s) = %q, %v", m.Container, v, err)
	}
	if err := g.StartNode(ctx, killed); err != nil {
		t.Fatal(err)
	}
	if err := g.WaitHealthy(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
}
