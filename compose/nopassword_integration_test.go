package compose

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/selfboot"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationComposeNoPassword: a --no-password compose file (ports
// on 127.0.0.1, no secret) comes up healthy with compose alone; a
// ClusterClient without a password writes and reads through the
// published ports, the nodes run with protected-mode off and no
// password, and `down -v` leaves nothing.
func TestIntegrationComposeNoPassword(t *testing.T) {
	d := testutil.Docker(t)
	compose := composeCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := spec.Default()
	s.Name, s.NodeTimeout, s.Image, s.NoPassword = testutil.UniqueName("cmpnopw"), 2000, testutil.PinNodeImage(t, d), true
	s.Port, s.Subnet = testutil.FreePortRange(t, s.Nodes()), freeSubnet(t, d).String()
	p, err := selfboot.FromSpec(s, true)
	if err != nil {
		t.Fatal(err)
	}
	dir, yml := renderInto(t, p)
	file := filepath.Join(dir, "docker-compose.yml")
	if err := os.WriteFile(file, yml, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, compose[0], append(append(compose[1:], "-p", s.Name, "-f", file), args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", strings.Join(compose, " "), args, err, out)
		}
	}
	t.Cleanup(func() { run("down", "-v"); checkGone(t, d, s.Name) })
	run("up", "-d")
	waitHealthy(ctx, t, p)
	addrs := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		addrs[i] = fmt.Sprintf("127.0.0.1:%d", n.Port)
	}
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
