package compose

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationComposeNoPassword: a --no-password compose file (ports
// on 127.0.0.1, no secret) comes up healthy with compose alone; a
// ClusterClient without a password writes and reads through the
// published ports, the nodes run with protected-mode off and no
// password, and `down -v` leaves nothing.
func TestIntegrationComposeNoPassword(t *testing.T) {
	ctx, d, compose, p := composeTest(t, "cmpnopw", true)
	dir, yml := renderInto(t, p)
	addrs := composeUp(ctx, t, d, p, dir, yml, compose)
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	defer rdb.Close()
	testutil.WriteRead(t, rdb, "open", 1000)
	testutil.RedisCliCheck(t, addrs[0], "")
	for _, addr := range addrs {
		c := redis.NewClient(&redis.Options{Addr: addr})
		pm, err := c.ConfigGet(ctx, "protected-mode").Result()
		pw, perr := c.ConfigGet(ctx, "requirepass").Result()
		c.Close()
		if err != nil || perr != nil || pm["protected-mode"] != "no" || pw["requirepass"] != "" {
			t.Errorf("%s: protected-mode %v requirepass set %v (%v, %v), want no and unset", addr, pm, pw["requirepass"] != "", err, perr)
		}
	}
}
