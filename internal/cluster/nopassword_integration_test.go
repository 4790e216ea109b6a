package cluster

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationUpBridgeNoPassword: `up --no-password` on a bridge comes
// up healthy (it used to fail: protected mode refused the published
// ports and the other nodes), a ClusterClient without a password writes
// and reads through the published ports, which listen on 127.0.0.1 only,
// and the nodes run with protected-mode off and no password.
func TestIntegrationUpBridgeNoPassword(t *testing.T) {
	d, s, o, res := upTest(t, "nopw", func(s *spec.Spec) { s.NoPassword = true })
	if res.Spec.Password != "" {
		t.Fatalf("password %q with --no-password", res.Spec.Password)
	}
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: res.Seeds()})
	defer rdb.Close()
	testutil.WriteRead(t, rdb, "open", 1000)
	checkEndpoints(t, rdb, s, "localhost")
	testutil.RedisCliCheck(t, res.Seeds()[0], "")
	checkOpenNodes(t, res.Seeds(), "no")
	checkPublishedOnLoopback(t, d, s)
	checkStatusAndList(t, s.Name, o)
	checkDown(t, d, s.Name, o)
}

// TestIntegrationHostNoPassword: on host networking, --no-password binds
// 127.0.0.1 and keeps protected-mode on: every peer and client connects
// from loopback, so the cluster still forms and serves without a
// password.
func TestIntegrationHostNoPassword(t *testing.T) {
	ctx := context.Background()
	d, s, o, res := upTest(t, "hostnopw", func(s *spec.Spec) { s.Network, s.NoPassword = spec.NetworkHost, true })
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: res.Seeds()})
	defer rdb.Close()
	testutil.WriteRead(t, rdb, "open", 1000)
	checkEndpoints(t, rdb, s, s.BindAddress()) // loopback, so allowed without a password
	testutil.RedisCliCheck(t, res.Seeds()[0], "")
	checkOpenNodes(t, res.Seeds(), "yes")
	if st, err := GetStatus(ctx, s.Name, o); err != nil || !st.Healthy || st.Network != spec.NetworkHost {
		t.Fatalf("status: %+v, %v", st, err)
	}
	checkDown(t, d, s.Name, o)
}

// TestIntegrationNoPasswordRefused: --no-password where the nodes would
// be reachable from other hosts is refused, naming both flags, and the
// engine holds nothing of the cluster before or after.
func TestIntegrationNoPasswordRefused(t *testing.T) {
	d := testutil.ParallelDocker(t)
	tests := []struct {
		name string
		edit func(s *spec.Spec)
		want string
	}{
		{"bridge on every address", func(s *spec.Spec) { s.HostIP = "0.0.0.0" }, "--no-password with --host-ip 0.0.0.0"},
		{"host on every address", func(s *spec.Spec) {
			s.Network, s.Bind, s.AnnounceIP = spec.NetworkHost, "0.0.0.0", "192.0.2.9"
		}, "--no-password with --bind 0.0.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, o := newSpec(t, d, "nopwref")
			s.NoPassword = true
			tt.edit(&s)
			before := engineObjects(t, d, s.Name)
			if _, err := Up(context.Background(), s, o); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Up = %v, want an error naming %q", err, tt.want)
			}
			if after := engineObjects(t, d, s.Name); after != before || after != (docker.Removed{}) {
				t.Fatalf("the engine holds %+v of %s after the refusal (before: %+v), want nothing", after, s.Name, before)
			}
		})
	}
}

// engineObjects counts the containers, networks and volumes labelled
// with the cluster's name; it only looks.
func engineObjects(t *testing.T, d *docker.Client, name string) docker.Removed {
	t.Helper()
	r, err := d.Leftovers(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkOpenNodes asks every node, without a password, for its
// protected-mode and that it has no password.
func checkOpenNodes(t *testing.T, addrs []string, protected string) {
	t.Helper()
	for _, addr := range addrs {
		c := redis.NewClient(&redis.Options{Addr: addr})
		got, err := c.ConfigGet(context.Background(), "protected-mode").Result()
		if err == nil && got["protected-mode"] != protected {
			t.Errorf("%s: protected-mode %q, want %q", addr, got["protected-mode"], protected)
		}
		pw, perr := c.ConfigGet(context.Background(), "requirepass").Result()
		if perr == nil && pw["requirepass"] != "" {
			t.Errorf("%s: requirepass is set", addr)
		}
		c.Close()
		if err != nil || perr != nil {
			t.Fatalf("%s: CONFIG GET without a password: %v, %v", addr, err, perr)
		}
	}
}

// checkPublishedOnLoopback: every published port of every node listens
// on 127.0.0.1 only, which is what makes an open cluster safe.
func checkPublishedOnLoopback(t *testing.T, d *docker.Client, s spec.Spec) {
	t.Helper()
	testutil.InspectEach(t, d, s.Name, func(name string, raw []byte) {
		var in struct {
			NetworkSettings struct {
				Ports map[string][]struct{ HostIp, HostPort string }
			}
		}
		if err := json.Unmarshal(raw, &in); err != nil {
			t.Fatal(err)
		}
		n := 0
		for port, binds := range in.NetworkSettings.Ports {
			for _, b := range binds {
				n++
				if b.HostIp != "127.0.0.1" {
					t.Errorf("%s: port %s published on %q, want 127.0.0.1 only", name, port, b.HostIp)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s publishes no port", name)
		}
	})
}
