package templates

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestRedisServerReadsRenderedConfig starts real redis-server processes on
// rendered configs and reads every setting back, so quoting and directive
// names are checked by Redis itself, not only by SplitArgs.
func TestRedisServerReadsRenderedConfig(t *testing.T) {
	passwords := []string{`a "q" b\c #x`, " it's\tü€ 'x' \\\"y\\\"\\ #end "}
	const nodes = 2
	for i, pw := range passwords {
		t.Run("password"+strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			base := testutil.FreePortRange(t, nodes)
			for port := base; port < base+nodes; port++ {
				checkNode(t, port, port+10000, pw)
			}
		})
	}
}

func checkNode(t *testing.T, port, bus int, pw string) {
	t.Helper()
	dir := t.TempDir()
	conf, err := renderRedis(redisConf{
		Name: "test-" + strconv.Itoa(port), Port: port, BusPort: bus, Bind: []string{"127.0.0.1"},
		Password: pw, Cluster: true, NodeTimeout: 4321, AnnounceHostname: "localhost",
		PreferredEndpointType: "hostname", AppendOnly: true, Dir: dir,
		Extra: []string{"maxmemory 100mb"},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := testutil.StartRedis(t, dir, conf, "127.0.0.1", port).Client(t, redis.Options{Password: pw})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	want := map[string]string{
		"port": strconv.Itoa(port), "requirepass": pw, "masterauth": pw,
		"cluster-enabled": "yes", "cluster-node-timeout": "4321", "cluster-port": strconv.Itoa(bus),
		"cluster-announce-hostname": "localhost", "cluster-preferred-endpoint-type": "hostname",
		"appendonly": "yes", "appendfilename": "appendonly-" + strconv.Itoa(port) + ".aof",
		"dir": realPath(t, dir), "maxmemory": "104857600", "bind": "127.0.0.1",
	}
	for name, v := range want {
		got, err := c.ConfigGet(ctx, name).Result()
		if err != nil {
			t.Errorf("port %d: CONFIG GET %s: %v", port, name, err)
			continue
		}
		if got[name] != v {
			t.Errorf("port %d: CONFIG GET %s = %q, want %q", port, name, got[name], v)
		}
	}
	checkAuth(ctx, t, c, port, pw)
}

func checkAuth(ctx context.Context, t *testing.T, c *redis.Client, port int, pw string) {
	t.Helper()
	if err := c.Do(ctx, "AUTH", pw).Err(); err != nil {
		t.Errorf("port %d: AUTH with the password: %v", port, err)
	}
	for _, opt := range []*redis.Options{
		{Password: pw + "x"}, {Password: pw[1:]}, {},
	} {
		opt.Addr, opt.DisableIdentity, opt.MaxRetries = c.Options().Addr, true, -1
		bad := redis.NewClient(opt)
		err := bad.Ping(ctx).Err()
		bad.Close()
		if err == nil || !(strings.Contains(err.Error(), "WRONGPASS") || strings.Contains(err.Error(), "NOAUTH")) {
			t.Errorf("port %d: PING with password %q: err = %v, want WRONGPASS or NOAUTH", port, opt.Password, err)
		}
	}
}

func realPath(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
