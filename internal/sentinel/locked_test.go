package sentinel

import (
	"context"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationSentinelLocked: a group with --memory and --cpus comes up
// healthy with every data node and sentinel locked down (read-only root,
// no capabilities, pids limit, the limits): sentinels still rewrite
// sentinel.conf, replicas CONFIG REWRITE, and maxmemory is 75% of --memory.
func TestIntegrationSentinelLocked(t *testing.T) {
	const mem, cpus = 128 << 20, 1_000_000_000
	s, o, res := upTest(t, "sentinel-lock", func(s *spec.Spec) { s.Memory, s.CPUs = "128m", "1" })
	if n := testutil.AssertLocked(t, o.Docker, s.Name, mem, cpus); n != 6 {
		t.Fatalf("checked %d containers, want 6 (3 data nodes, 3 sentinels)", n)
	}
	checkStatus(t, s.Name, o, 2, 3)
	checkConfigRewrite(t, o.Docker, res)
	rdb := failoverClient(res)
	defer rdb.Close()
	writeRead(t, rdb, "k", 200)
	master := redis.NewClient(&redis.Options{Addr: res.DataAddrs()[0], Password: res.Spec.Password})
	defer master.Close()
	if got := master.ConfigGet(context.Background(), "maxmemory").Val()["maxmemory"]; got != strconv.Itoa(mem*75/100) {
		t.Errorf("maxmemory %q, want %d (75%% of --memory 128m)", got, mem*75/100)
	}
}
