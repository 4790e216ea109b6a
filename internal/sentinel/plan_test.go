package sentinel

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/golden"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

func testSpec(edit func(*spec.Spec)) spec.Spec {
	s := spec.Default()
	s.Name, s.Mode, s.Masters, s.Replicas, s.Port, s.Password = "demo", spec.ModeSentinel, 1, 2, 7000, "s3cret"
	if edit != nil {
		edit(&s)
	}
	return s
}

var subnet = netip.MustParsePrefix("10.213.7.0/24")

func TestPlan(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*spec.Spec)
		roles   string
		follows []int
	}{
		{"default", nil, "master replica replica sentinel sentinel sentinel", []int{-1, 0, 0, -1, -1, -1}},
		{"cascade", func(s *spec.Spec) { s.Cascade = true }, "master replica replica sentinel sentinel sentinel", []int{-1, 0, 1, -1, -1, -1}},
		{"one sentinel", func(s *spec.Spec) { s.Replicas, s.Sentinels = 1, 1 }, "master replica sentinel", []int{-1, 0, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nodes := plan(testSpec(tt.edit), subnet)
			var roles []string
			var follows []int
			for i, n := range nodes {
				roles, follows = append(roles, n.Role), append(follows, n.Master)
				if n.Port != 7000+i || n.Name != fmt.Sprintf("demo-%d", 7000+i) || n.IP != topology.HostAddr(subnet, topology.FirstHost+i) {
					t.Errorf("node %d: %s port %d ip %s", i, n.Name, n.Port, n.IP)
				}
			}
			if strings.Join(roles, " ") != tt.roles || fmt.Sprint(follows) != fmt.Sprint(tt.follows) {
				t.Errorf("roles %v follows %v, want %s %v", roles, follows, tt.roles, tt.follows)
			}
		})
	}
}

// TestRenderGroup renders every config of a group into one golden file
// per network mode.
func TestRenderGroup(t *testing.T) {
	tests := []struct {
		golden string
		edit   func(*spec.Spec)
		subnet netip.Prefix
	}{
		{"bridge-cascade", func(s *spec.Spec) { s.Cascade, s.DownAfter = true, 1000 }, subnet},
		{"host-announce", func(s *spec.Spec) {
			s.Network, s.Bind, s.AnnounceIP, s.Replicas, s.Sentinels = spec.NetworkHost, "0.0.0.0", "192.0.2.10", 1, 1
		}, netip.Prefix{}},
		{"host-loopback", func(s *spec.Spec) { s.Network, s.Replicas, s.Sentinels = spec.NetworkHost, 1, 1 }, netip.Prefix{}},
		{"bridge-no-password", func(s *spec.Spec) { s.Password, s.NoPassword, s.Replicas, s.Sentinels = "", true, 1, 1 }, subnet},
		{"host-no-password", func(s *spec.Spec) {
			s.Network, s.Password, s.NoPassword, s.Replicas, s.Sentinels = spec.NetworkHost, "", true, 1, 1
		}, netip.Prefix{}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			s := testSpec(tt.edit)
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			nodes := plan(s, tt.subnet)
			var all bytes.Buffer
			for _, n := range nodes {
				path, conf, err := configFile(s, nodes, n)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&all, "==> %s\n%s", path, conf)
			}
			checkGolden(t, filepath.Join("testdata", tt.golden+".golden"), all.Bytes())
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}

func TestNodeSpec(t *testing.T) {
	s := testSpec(nil)
	u := &upRun{spec: s, nodes: plan(s, subnet)}
	for _, n := range u.nodes {
		ns := u.nodeSpec(n)
		if ns.Network != cluster.NetworkName("demo") || ns.IP != n.IP || fmt.Sprint(ns.Publish) != fmt.Sprintf("[%d]", n.Port) || ns.HostIP != "127.0.0.1" {
			t.Errorf("%s: network %s ip %s publish %v on %s", n.Name, ns.Network, ns.IP, ns.Publish, ns.HostIP)
		}
		want := "redis-server " + cluster.ConfigPath
		if n.Role == topology.RoleSentinel {
			want = "redis-server " + SentinelConfigPath + " --sentinel"
		}
		if got := strings.Join(ns.Cmd, " "); got != want {
			t.Errorf("%s: command %q, want %q", n.Name, got, want)
		}
		if ns.Labels["redis-dock.role"] != n.Role || ns.Labels["redis-dock.port"] != fmt.Sprint(n.Port) || strings.Contains(ns.Labels["redis-dock.spec"], "s3cret") {
			t.Errorf("%s: labels %v", n.Name, ns.Labels)
		}
	}
	u.spec.Network = spec.NetworkHost
	if ns := u.nodeSpec(u.nodes[0]); ns.Network != "host" || ns.Publish != nil || ns.IP.IsValid() {
		t.Errorf("host networking: %+v", ns)
	}
}

// TestUpValidatesFirst: a bad spec fails before Docker is touched (the
// client is nil here).
func TestUpValidatesFirst(t *testing.T) {
	tests := []struct {
		edit func(*spec.Spec)
		want string
	}{
		{func(s *spec.Spec) { s.Masters = 3 }, "--masters 3"},
		{func(s *spec.Spec) { s.Replicas = 0 }, "--replicas 0"},
		{func(s *spec.Spec) { s.Mode = spec.ModeCluster }, "--mode"},
	}
	for _, tt := range tests {
		_, err := Up(context.Background(), testSpec(tt.edit), provision.Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Up = %v, want an error naming %s", err, tt.want)
		}
	}
}

// TestProtectedModeAgrees renders, for every network and password
// combination, a cluster node's redis.conf, a sentinel group's data node
// and sentinel, and a compose/stack base config: all carry the one
// protected-mode that spec.ProtectedMode decides.
func TestProtectedModeAgrees(t *testing.T) {
	for _, network := range []string{spec.NetworkBridge, spec.NetworkHost} {
		for _, pw := range []string{"s3cret", ""} {
			s := testSpec(func(s *spec.Spec) { s.Network, s.Password, s.NoPassword = network, pw, pw == "" })
			s.Normalize()
			want := "no"
			if s.ProtectedMode() {
				want = "yes"
			}
			got := map[string]string{}
			nodes := plan(s, subnet)
			for _, n := range []topology.Node{nodes[0], nodes[len(nodes)-1]} {
				_, data, err := configFile(s, nodes, n)
				if err != nil {
					t.Fatal(err)
				}
				got["sentinel mode "+n.Role] = directive(data, "protected-mode")
			}
			cs := s
			cs.Mode, cs.Masters, cs.Replicas, cs.Sentinels = spec.ModeCluster, 3, 1, 0
			files, err := cluster.RenderConfigs(cs, "/data")
			if err != nil {
				t.Fatal(err)
			}
			got["cluster mode"] = directive(files[0].Data, "protected-mode")
			if network == spec.NetworkBridge {
				p, err := stackplan.New(cs, netip.MustParsePrefix("10.214.3.0/24"), true)
				if err != nil {
					t.Fatal(err)
				}
				got["compose base config"] = directive(p.Nodes[0].Conf, "protected-mode")
			}
			for who, v := range got {
				if v != want {
					t.Errorf("%s, password %q: %s renders protected-mode %q, want %q", network, pw, who, v, want)
				}
			}
		}
	}
}

func directive(conf []byte, name string) string {
	args, _ := templates.Directive(conf, name)
	return strings.Join(args, " ")
}
