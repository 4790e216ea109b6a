package templates

import (
	"context"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestKnownDirectivesCoverRedisServer asks the redis-server on PATH (the
// one the node image is built from) for every directive it has and fails
// when --config would refuse one of them.
func TestKnownDirectivesCoverRedisServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts redis-server; skipped in -short mode")
	}
	port := testutil.FreePortRange(t, 1)
	conf := "port " + strconv.Itoa(port) + "\nbind 127.0.0.1\nsave \"\"\nappendonly no\n"
	testutil.StartRedis(t, t.TempDir(), []byte(conf), "127.0.0.1", port)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port)})
	defer rdb.Close()
	all, err := rdb.ConfigGet(context.Background(), "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 150 {
		t.Fatalf("CONFIG GET * returned %d names, want the full list", len(all))
	}
	for name := range all {
		if !known[name] {
			t.Errorf("redis-server has directive %q, which --config would refuse", name)
		}
	}
}
