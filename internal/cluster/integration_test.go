package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// newSpec returns a 3x1 spec with a unique name and free ports, and
// removes whatever carries its label when the test ends.
func newSpec(t *testing.T, d *docker.Client, prefix string) (spec.Spec, Options) {
	t.Helper()
	s := spec.Default()
	s.Name = testutil.UniqueName(prefix)
	s.Port = testutil.FreePortRange(t, s.Nodes())
	s.NodeTimeout = 3000
	o := Options{Docker: d, Logger: testutil.Logger(t)}
	testutil.RemoveOnCleanup(t, d, s.Name)
	return s, o
}

func clientFor(r *Result) *redis.ClusterClient {
	return redis.NewClusterClient(&redis.ClusterOptions{Addrs: r.Seeds(), Password: r.Spec.Password})
}

// mustStatus is GetStatus for a test: a cluster whose status cannot be
// read fails it.
func mustStatus(t testing.TB, name string, o Options) *Status {
	t.Helper()
	st, err := GetStatus(context.Background(), name, o)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// upTest runs t in parallel with the other integration tests and brings
// up a cluster for it: newSpec's spec, changed by edit when not nil. The
// test fails when it does not come up.
func upTest(t *testing.T, prefix string, edit func(*spec.Spec)) (*docker.Client, spec.Spec, Options, *Result) {
	t.Helper()
	d := testutil.ParallelDocker(t)
	s, o := newSpec(t, d, prefix)
	if edit != nil {
		edit(&s)
	}
	res, err := Up(context.Background(), s, o)
	if err != nil {
		t.Fatal(err)
	}
	return d, s, o, res
}

// withKeys writes n keys prefix:<i> through a client of r and reads them
// back; the client is closed when the test ends.
func withKeys(t *testing.T, r *Result, prefix string, n int) *redis.ClusterClient {
	t.Helper()
	rdb := clientFor(r)
	t.Cleanup(func() { rdb.Close() })
	testutil.WriteRead(t, rdb, prefix, n)
	return rdb
}

// failoverClient is a client of r that gives up on a dead node quickly
// and follows redirects while the slot map changes.
func failoverClient(r *Result) *redis.ClusterClient {
	return redis.NewClusterClient(&redis.ClusterOptions{Addrs: r.Seeds(), Username: r.Spec.AdminUser(), Password: r.Spec.Password,
		DialTimeout: time.Second, ReadTimeout: time.Second, MaxRedirects: 16})
}

func TestIntegrationUpBridge(t *testing.T) {
	ctx := context.Background()
	d, s, o, res := upTest(t, "up", nil)
	testutil.AssertClientTopology(t, res.Seeds(), res.Spec.Password, s.Masters, s.Replicas)
	rdb := withKeys(t, res, "k", 10000)
	checkEndpoints(t, rdb, s, "localhost")
	testutil.RedisCliCheck(t, res.Seeds()[0], res.Spec.Password)
	testutil.AssertNoPasswordInInspect(t, d, s.Name, res.Spec.Password)

	testutil.UpAgain(t, func(s spec.Spec) (bool, error) {
		r, err := Up(ctx, s, o)
		return r != nil && r.Existing, err
	}, s, func(s *spec.Spec) { s.Masters = 4 }, "--masters")
	if pw, err := Password(ctx, s.Name, o); err != nil || pw != res.Spec.Password {
		t.Fatalf("Password = %q, %v", pw, err)
	}
	checkStatusAndList(t, s.Name, o)
	checkRestart(t, rdb, s, o)
	checkDown(t, d, s.Name, o)
}

// checkEndpoints asserts every endpoint a host client sees is
// host:<one of the cluster's ports> (localhost and the published port on
// a bridge; the bind address with host networking), and that the slots
// are covered.
func checkEndpoints(t *testing.T, rdb *redis.ClusterClient, s spec.Spec, want string) {
	t.Helper()
	slots, err := rdb.ClusterSlots(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	covered := 0
	for _, sl := range slots {
		covered += sl.End - sl.Start + 1
		for _, n := range sl.Nodes {
			host, port, _ := net.SplitHostPort(n.Addr)
			p, _ := strconv.Atoi(port)
			if host != want || p < s.Port || p >= s.Port+s.Nodes() {
				t.Errorf("CLUSTER SLOTS endpoint %s, want %s:%d..%d", n.Addr, want, s.Port, s.Port+s.Nodes()-1)
			}
		}
	}
	if covered != 16384 {
		t.Errorf("CLUSTER SLOTS covers %d slots", covered)
	}
}

func checkStatusAndList(t *testing.T, name string, o Options) {
	t.Helper()
	st, err := GetStatus(context.Background(), name, o)
	if err != nil || !st.Healthy {
		t.Fatalf("status: healthy=%v err=%v problems=%v", st != nil && st.Healthy, err, st)
	}
	masters, slots := 0, 0
	for _, n := range st.Nodes {
		if n.Role == "master" {
			masters++
			slots += n.SlotCount
		} else if n.Link != "up" || n.Master == "" {
			t.Errorf("replica %s: link %q master %q", n.Name, n.Link, n.Master)
		}
	}
	if masters != 3 || slots != 16384 {
		t.Errorf("status shows %d masters with %d slots", masters, slots)
	}
	all, err := List(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.Name == name && c.Nodes == 6 && c.Running == 6 && c.Network == spec.NetworkBridge {
			return
		}
	}
	t.Errorf("list does not show %s with 6 running nodes: %+v", name, all)
}

// checkRestart restarts every node: same IDs, healthy, keys kept.
func checkRestart(t *testing.T, rdb *redis.ClusterClient, s spec.Spec, o Options) {
	t.Helper()
	ctx := context.Background()
	before := nodeIDs(t, s.Name, o)
	if err := Restart(ctx, s.Name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
	after := nodeIDs(t, s.Name, o)
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("node IDs changed across restart: %v -> %v", before, after)
	}
	testutil.CheckKeys(t, rdb, "k", 10000)
}

func nodeIDs(t *testing.T, name string, o Options) map[string]string {
	st := mustStatus(t, name, o)
	ids := map[string]string{}
	for _, n := range st.Nodes {
		ids[n.Name] = n.ID
	}
	return ids
}

func checkDown(t *testing.T, d *docker.Client, name string, o Options) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := Down(ctx, name, true, o); err != nil {
			t.Fatalf("down #%d: %v", i+1, err)
		}
	}
	testutil.AssertNothingLeft(t, d, name)
}

func TestIntegrationBadInput(t *testing.T) {
	d := testutil.ParallelDocker(t)
	ctx := context.Background()
	t.Run("busy port", func(t *testing.T) {
		s, o := newSpec(t, d, "busy")
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port+2)))
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		_, err = Up(ctx, s, o)
		if err == nil || !strings.Contains(err.Error(), strconv.Itoa(s.Port+2)) || !errors.Is(err, ErrPortInUse) {
			t.Fatalf("want an error naming port %d, got %v", s.Port+2, err)
		}
		assertNothingLeft(t, d, s.Name)
	})
	t.Run("two masters", func(t *testing.T) {
		s, o := newSpec(t, d, "two")
		s.Masters = 2
		if _, err := Up(ctx, s, o); err == nil || !strings.Contains(err.Error(), "--masters 2") {
			t.Fatalf("want an error naming --masters, got %v", err)
		}
		assertNothingLeft(t, d, s.Name)
	})
	t.Run("foreign container", func(t *testing.T) {
		s, o := newSpec(t, d, "foreign")
		foreign, fo := newSpec(t, d, "owner")
		foreign.Port = s.Port
		foreign.Name = s.Name + "x"
		if _, err := nodeimage.Ensure(ctx, d, s.Image, images.Options{}, o.Logger); err != nil {
			t.Fatal(err)
		}
		// A container named like one of s's nodes, made by another cluster.
		if _, err := d.CreateNode(ctx, docker.NodeSpec{Name: fmt.Sprintf("%s-%d", s.Name, s.Port+1), Image: s.Image,
			Labels: map[string]string{docker.LabelCluster: foreign.Name}, Network: "none", Cmd: []string{"redis-server", "--port", "0"}}, nil); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = fo.Docker.RemoveCluster(context.Background(), foreign.Name, true) })
		_, err := Up(ctx, s, o)
		if err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("want a name conflict error, got %v", err)
		}
		assertNothingLeft(t, d, s.Name)
	})
}

func assertNothingLeft(t *testing.T, d *docker.Client, name string) {
	t.Helper()
	testutil.AssertNothingLeft(t, d, name)
}
