package testutil

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// WriteRead writes n keys through rdb and reads every one back.
func WriteRead(t testing.TB, rdb *redis.ClusterClient, prefix string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const batch = 500
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < end; i++ {
				p.Set(ctx, fmt.Sprintf("%s:%d", prefix, i), strconv.Itoa(i), 0)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("writing keys %d..%d: %v", start, end, err)
		}
	}
	CheckKeys(t, rdb, prefix, n)
}

// CheckKeys reads prefix:0..n-1 back and fails on any missing or wrong.
func CheckKeys(t testing.TB, rdb *redis.ClusterClient, prefix string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const batch = 500
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < end; i++ {
				p.Get(ctx, fmt.Sprintf("%s:%d", prefix, i))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("reading keys %d..%d: %v", start, end, err)
		}
		for i, c := range cmds {
			if v, _ := c.(*redis.StringCmd).Result(); v != strconv.Itoa(start+i) {
				t.Fatalf("key %s:%d = %q, want %d", prefix, start+i, v, start+i)
			}
		}
	}
}

// RedisCliCheck runs `redis-cli --cluster check` as an independent
// witness (password through REDISCLI_AUTH, never argv; "" for none) and fails unless
// it reports every slot covered and no open slots.
func RedisCliCheck(t testing.TB, addr, password string) {
	t.Helper()
	if _, err := exec.LookPath("redis-cli"); err != nil {
		if os.Getenv(RequireDocker) == "1" {
			t.Fatalf("redis-cli is not installed (apt-get install redis-tools)")
		}
		t.Logf("redis-cli not installed: skipping the independent check")
		return
	}
	cmd := exec.Command("redis-cli", "--no-raw", "--cluster", "check", addr)
	cmd.Env = os.Environ()
	if password != "" { // an empty REDISCLI_AUTH still sends AUTH, which a node without a password refuses
		cmd.Env = append(cmd.Env, "REDISCLI_AUTH="+password)
	}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "[OK] All 16384 slots covered") || strings.Contains(string(out), "[WARNING]") || strings.Contains(string(out), "[ERR]") {
		t.Fatalf("redis-cli --cluster check %s failed (%v):\n%s", addr, err, out)
	}
}
