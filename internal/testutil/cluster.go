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
	inBatches(t, rdb, "writing", n, func(ctx context.Context, p redis.Pipeliner, i int) {
		p.Set(ctx, fmt.Sprintf("%s:%d", prefix, i), strconv.Itoa(i), 0)
	}, nil)
	CheckKeys(t, rdb, prefix, n)
}

// CheckKeys reads prefix:0..n-1 back and fails on any missing or wrong.
func CheckKeys(t testing.TB, rdb *redis.ClusterClient, prefix string, n int) {
	t.Helper()
	inBatches(t, rdb, "reading", n, func(ctx context.Context, p redis.Pipeliner, i int) {
		p.Get(ctx, fmt.Sprintf("%s:%d", prefix, i))
	}, func(i int, c redis.Cmder) {
		if v, _ := c.(*redis.StringCmd).Result(); v != strconv.Itoa(i) {
			t.Fatalf("key %s:%d = %q, want %d", prefix, i, v, i)
		}
	})
}

// inBatches queues one command per key 0..n-1 with add, in pipelines of
// 500 within two minutes, and hands each reply to check when not nil.
func inBatches(t testing.TB, rdb *redis.ClusterClient, what string, n int,
	add func(ctx context.Context, p redis.Pipeliner, i int), check func(i int, c redis.Cmder)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const batch = 500
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < end; i++ {
				add(ctx, p, i)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s keys %d..%d: %v", what, start, end, err)
		}
		for i, c := range cmds {
			if check != nil {
				check(start+i, c)
			}
		}
	}
}

// RedisCliCheck runs `redis-cli --cluster check` as an independent
// witness (password through REDISCLI_AUTH, never argv; "" for none) and fails unless
// it reports every slot covered and no open slots.
func RedisCliCheck(t testing.TB, addr, password string) {
	t.Helper()
	RedisCliCheckWith(t, addr, password)
}

// RedisCliCheckWith is RedisCliCheck with more redis-cli flags first,
// such as --tls --cacert ca.pem.
func RedisCliCheckWith(t testing.TB, addr, password string, flags ...string) {
	t.Helper()
	if _, err := exec.LookPath("redis-cli"); err != nil {
		if os.Getenv(RequireDocker) == "1" {
			t.Fatalf("redis-cli is not installed (apt-get install redis-tools)")
		}
		t.Logf("redis-cli not installed: skipping the independent check")
		return
	}
	cmd := exec.Command("redis-cli", append(flags, "--no-raw", "--cluster", "check", addr)...)
	cmd.Env = os.Environ()
	if password != "" { // an empty REDISCLI_AUTH still sends AUTH, which a node without a password refuses
		cmd.Env = append(cmd.Env, "REDISCLI_AUTH="+password)
	}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "[OK] All 16384 slots covered") || strings.Contains(string(out), "[WARNING]") || strings.Contains(string(out), "[ERR]") {
		t.Fatalf("redis-cli --cluster check %s failed (%v):\n%s", addr, err, out)
	}
}
