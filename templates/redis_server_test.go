package templates

import (
	"context"
	"errors"
	"os"
	"os/exec"
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
	bin := redisServer(t)
	passwords := []string{`a "q" b\c #x`, " it's\tü€ 'x' \\\"y\\\"\\ #end "}
	const nodes = 2
	for i, pw := range passwords {
		t.Run("password"+strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			base := testutil.FreePortRange(t, nodes)
			for port := base; port < base+nodes; port++ {
				checkNode(t, bin, port, port+10000, pw)
			}
		})
	}
}

func redisServer(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv(testutil.RequireDocker) == "1" {
			t.Fatalf("%s=1 but redis-server is not on PATH: %v", testutil.RequireDocker, err)
		}
		t.Skipf("redis-server is not on PATH: %v", err)
	}
	return bin
}

func checkNode(t *testing.T, bin string, port, bus int, pw string) {
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
	path := filepath.Join(dir, "redis.conf")
	if err := os.WriteFile(path, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := startRedis(ctx, t, bin, path, port, pw)
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

// startRedis runs redis-server on conf, kills it when the test ends, and
// returns a client once the node answers PING.
func startRedis(ctx context.Context, t *testing.T, bin, conf string, port int, pw string) *redis.Client {
	t.Helper()
	logPath := conf + ".log"
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, conf)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("failed to start %s %s: %v", bin, conf, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		logFile.Close()
	})
	c := redis.NewClient(&redis.Options{
		Addr: "127.0.0.1:" + strconv.Itoa(port), Password: pw, DisableIdentity: true, MaxRetries: -1,
	})
	t.Cleanup(func() { c.Close() })
	if err := waitPing(ctx, c, exited); err != nil {
		log, _ := os.ReadFile(logPath)
		t.Fatalf("redis-server on port %d: %v\n%s", port, err, log)
	}
	return c
}

func waitPing(ctx context.Context, c *redis.Client, exited <-chan struct{}) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := c.Ping(ctx).Err()
		var reply redis.Error
		if err == nil {
			return nil
		} else if errors.As(err, &reply) && !strings.HasPrefix(err.Error(), "LOADING") {
			return err // the node is up and answered, e.g. WRONGPASS: waiting will not help
		}
		select {
		case <-exited:
			return errors.New("exited before answering PING")
		case <-ctx.Done():
			return errors.Join(ctx.Err(), err)
		case <-tick.C:
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
