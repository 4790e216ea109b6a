package compose

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/form"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// composeCLI returns the compose command found here: `docker compose`
// (v2) or `docker-compose` (v1, what Debian ships).
func composeCLI(t *testing.T) []string {
	t.Helper()
	if exec.Command("docker", "compose", "version").Run() == nil {
		return []string{"docker", "compose"}
	}
	if exec.Command("docker-compose", "version").Run() == nil {
		return []string{"docker-compose"}
	}
	if os.Getenv(testutil.RequireDocker) == "1" {
		t.Fatal("neither `docker compose` nor docker-compose is installed (apt-get install docker-compose)")
	}
	t.Skip("neither `docker compose` nor docker-compose is installed")
	return nil
}

// TestIntegrationComposeUp renders a 3x1 compose file and brings it up
// with compose alone: the bootstrap forms the cluster, the host reaches
// it on 127.0.0.1 (10,000 keys through go-redis, redis-cli --cluster
// check), the file holds no password, and `down -v` leaves nothing.
func TestIntegrationComposeUp(t *testing.T) {
	ctx, d, compose, p := composeTest(t, "cmp", false)
	if _, err := p.Spec.ResolvePassword(); err != nil {
		t.Fatal(err)
	}
	dir, yml := renderInto(t, p)
	if bytes.Contains(yml, []byte(p.Spec.Password)) {
		t.Fatal("the compose file contains the password")
	}
	addrs := composeUp(ctx, t, d, p, dir, yml, compose)
	checkStatus(t, d, p.Spec.Name, len(p.Nodes), p.Spec.Port)
	checkLocked(t, d, p.Spec.Name)
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, Password: p.Spec.Password})
	defer rdb.Close()
	testutil.WriteRead(t, rdb, "k", 10000)
	testutil.RedisCliCheck(t, addrs[0], p.Spec.Password)
}

// composeTest starts a compose test: the engine, the compose command (or
// a skip without one), a 5-minute context and the plan of a 3x1 project
// of a unique name (prefix plus random hex), on free ports and a free
// subnet, with the test's image.
func composeTest(t *testing.T, prefix string, noPassword bool) (context.Context, *docker.Client, []string, *stackplan.Plan) {
	t.Helper()
	d := testutil.Docker(t)
	compose := composeCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	s := spec.Default()
	s.Name, s.NodeTimeout, s.Image, s.NoPassword = testutil.UniqueName(prefix), 2000, testutil.PinNodeImage(t, d), noPassword
	s.Port, s.Subnet = testutil.FreePortRange(t, s.Nodes()), freeSubnet(t, d).String()
	p, err := stackplan.FromSpec(s, true)
	if err != nil {
		t.Fatal(err)
	}
	return ctx, d, compose, p
}

// composeUp writes yml into dir and starts it as project p.Spec.Name with
// the compose command, taken down (and checked gone) when the test ends;
// it waits until the cluster is healthy and returns the nodes' addresses.
func composeUp(ctx context.Context, t *testing.T, d *docker.Client, p *stackplan.Plan, dir string, yml []byte, compose []string) []string {
	t.Helper()
	file := filepath.Join(dir, "docker-compose.yml")
	if err := os.WriteFile(file, yml, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, compose[0], append(append(compose[1:], "-p", p.Spec.Name, "-f", file), args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", strings.Join(compose, " "), args, err, out)
		}
	}
	t.Cleanup(func() { run("down", "-v"); checkGone(t, d, p.Spec.Name) })
	run("up", "-d")
	waitHealthy(ctx, t, p)
	addrs := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		addrs[i] = fmt.Sprintf("127.0.0.1:%d", n.Port)
	}
	return addrs
}

func waitHealthy(ctx context.Context, t *testing.T, p *stackplan.Plan) {
	t.Helper()
	c := &form.Cluster{Name: p.Spec.Name, Password: p.Spec.Password, Wait: 2 * time.Minute, Log: status.Discard()}
	for _, n := range p.Nodes {
		c.Members = append(c.Members, form.Member{Node: n.Node, Admin: fmt.Sprintf("127.0.0.1:%d", n.Port)})
	}
	ns := c.Dial()
	defer form.CloseAll(ns)
	wctx, cancel := context.WithTimeout(ctx, c.Wait)
	defer cancel()
	if err := c.WaitHealthy(wctx, ns); err != nil {
		t.Fatal(err)
	}
}

// freeSubnet is a /24 in 10.215.0.0/16 that no network uses.
func freeSubnet(t *testing.T, d *docker.Client) netip.Prefix {
	t.Helper()
	used, err := d.UsedSubnets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	subnet, err := docker.FreeSubnetIn(netip.MustParsePrefix("10.215.0.0/16"), int(time.Now().UnixNano()%256), used)
	if err != nil {
		t.Fatal(err)
	}
	return subnet
}

func checkGone(t *testing.T, d *docker.Client, name string) {
	t.Helper()
	if left, err := d.Leftovers(context.Background(), name); err != nil || left != (docker.Removed{}) {
		t.Errorf("after down -v: %+v left of %s (%v)", left, name, err)
	}
}

// checkLocked checks, in docker inspect, that every node container of the
// project is locked down: every capability dropped but the four its start
// as root needs, no-new-privileges, a read-only root with a /tmp tmpfs,
// the pids limit.
func checkLocked(t *testing.T, d *docker.Client, name string) {
	t.Helper()
	n := 0
	testutil.InspectEach(t, d, name, func(cname string, raw []byte) {
		if strings.Contains(cname, stackplan.BootstrapService) {
			return
		}
		var c struct {
			HostConfig struct {
				CapDrop, CapAdd, SecurityOpt []string
				ReadonlyRootfs               bool
				PidsLimit                    *int64
				Tmpfs                        map[string]string
			}
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		n++
		h := c.HostConfig
		if !slices.Equal(h.CapDrop, []string{"ALL"}) || len(h.CapAdd) != 4 || !slices.Contains(h.SecurityOpt, "no-new-privileges") ||
			!h.ReadonlyRootfs || h.PidsLimit == nil || *h.PidsLimit != docker.PidsLimit {
			t.Errorf("%s: CapDrop %v, CapAdd %v, SecurityOpt %v, ReadonlyRootfs %v, PidsLimit %v, Tmpfs %v",
				cname, h.CapDrop, h.CapAdd, h.SecurityOpt, h.ReadonlyRootfs, h.PidsLimit, h.Tmpfs)
		}
	})
	if n != 6 {
		t.Errorf("%d node containers checked, want 6", n)
	}
}
