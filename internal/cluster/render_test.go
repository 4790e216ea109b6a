package cluster

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/redis-dock/redis-dock/internal/golden"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/templates"
)

func TestRenderConfigsHost(t *testing.T) {
	s := spec.Default()
	s.Masters, s.Replicas, s.Port, s.Network = 3, 1, 7000, spec.NetworkHost
	s.Password = `a "q" b\c #x`
	files, err := RenderConfigs(s, "/var/lib/redis")
	if err != nil {
		t.Fatalf("RenderConfigs: %v", err)
	}
	if len(files) != 6 {
		t.Fatalf("RenderConfigs gave %d files, want 6", len(files))
	}
	for i, f := range files {
		port := 7000 + i
		if want := fmt.Sprintf("redis-%d.conf", port); f.Name != want || f.Port != port {
			t.Errorf("file %d = %s (port %d), want %s (port %d)", i, f.Name, f.Port, want, port)
		}
		wantDirectives(t, f.Data, map[string]string{
			"port": fmt.Sprint(port), "cluster-port": fmt.Sprint(port + 10000),
			"requirepass": s.Password, "masterauth": s.Password, "bind": "127.0.0.1",
			"cluster-announce-ip": "127.0.0.1", "dir": "/var/lib/redis", "cluster-enabled": "yes",
			"protected-mode": "no", "appendfilename": fmt.Sprintf("appendonly-%d.aof", port),
		})
		if _, ok := templates.Directive(f.Data, "cluster-announce-hostname"); ok {
			t.Errorf("%s announces a hostname on host networking", f.Name)
		}
	}
}

func TestRenderConfigsGeneratesOnePassword(t *testing.T) {
	s := spec.Default()
	s.Network = spec.NetworkHost
	files, err := RenderConfigs(s, "/data")
	if err != nil {
		t.Fatalf("RenderConfigs: %v", err)
	}
	first, ok := templates.Directive(files[0].Data, "requirepass")
	if !ok || len(first) != 1 || first[0] == "" {
		t.Fatalf("requirepass = %q, %v; want a generated password", first, ok)
	}
	for _, f := range files {
		for _, name := range []string{"requirepass", "masterauth"} {
			if got, _ := templates.Directive(f.Data, name); !reflect.DeepEqual(got, first) {
				t.Errorf("%s: %s = %q, want %q as on every node", f.Name, name, got, first)
			}
		}
	}
}

func TestRenderConfigsBadPasswordFile(t *testing.T) {
	s := spec.Default()
	s.PasswordFile = filepath.Join(t.TempDir(), "missing")
	if _, err := RenderConfigs(s, "/data"); err == nil {
		t.Fatal("RenderConfigs with a missing password file succeeded")
	}
}

func TestRenderNodeBridgeGolden(t *testing.T) {
	s := spec.Default()
	s.Name, s.Password = "demo", "s3cret"
	s.Config = []string{"maxmemory 100mb"}
	n := planFor(s).Nodes[4]
	got, err := renderNode(s, n)
	if err != nil {
		t.Fatalf("renderNode: %v", err)
	}
	path := filepath.Join("testdata", "bridge-node.golden")
	golden.Check(t, path, got)
}

// TestRenderNodeGoldenPasswords: whole configs with and without a
// password, on a bridge and on host networking.
func TestRenderNodeGoldenPasswords(t *testing.T) {
	tests := []struct {
		file    string
		network string
		pw      string
	}{
		{"bridge-no-password.golden", spec.NetworkBridge, ""},
		{"host-password.golden", spec.NetworkHost, "s3cret"},
		{"host-no-password.golden", spec.NetworkHost, ""},
	}
	for _, tt := range tests {
		s := spec.Default()
		s.Name, s.Network, s.Password, s.NoPassword = "demo", tt.network, tt.pw, tt.pw == ""
		s.Normalize()
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		got, err := renderNode(s, planFor(s).Nodes[4])
		if err != nil {
			t.Fatalf("renderNode: %v", err)
		}
		golden.Check(t, filepath.Join("testdata", tt.file), got)
	}
}

func TestRenderNodeEndpoints(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *spec.Spec)
		want map[string]string // "" means absent
	}{
		{"bridge hostname", func(s *spec.Spec) {}, map[string]string{
			"bind": "0.0.0.0", "cluster-announce-hostname": "localhost",
			"cluster-preferred-endpoint-type": "hostname", "cluster-announce-ip": "",
		}},
		{"bridge ip", func(s *spec.Spec) { s.Endpoint = spec.EndpointIP }, map[string]string{
			"bind": "0.0.0.0", "cluster-announce-hostname": "", "cluster-preferred-endpoint-type": "",
		}},
		{"host bind all", func(s *spec.Spec) { s.Network, s.Bind = spec.NetworkHost, "0.0.0.0" }, map[string]string{
			"bind": "0.0.0.0", "cluster-announce-ip": "", "cluster-announce-hostname": "",
		}},
		{"host bind all ipv6", func(s *spec.Spec) { s.Network, s.Bind = spec.NetworkHost, "::" }, map[string]string{
			"bind": "::", "cluster-announce-ip": "", "replica-announce-ip": "",
		}},
		{"host bind one address", func(s *spec.Spec) { s.Network, s.Bind = spec.NetworkHost, "192.0.2.5" }, map[string]string{
			"bind": "192.0.2.5", "cluster-announce-ip": "192.0.2.5", "replica-announce-ip": "192.0.2.5",
		}},
		{"host announce ip", func(s *spec.Spec) {
			s.Network, s.Bind, s.AnnounceIP = spec.NetworkHost, "0.0.0.0", "192.0.2.7"
		}, map[string]string{
			"bind": "0.0.0.0", "cluster-announce-ip": "192.0.2.7", "replica-announce-ip": "192.0.2.7",
		}},
		{"no password on a bridge", func(s *spec.Spec) { s.Password, s.NoPassword = "", true }, map[string]string{
			"protected-mode": "no", "requirepass": "", "masterauth": "", "bind": "0.0.0.0",
		}},
		{"no password on host", func(s *spec.Spec) { s.Password, s.NoPassword, s.Network = "", true, spec.NetworkHost }, map[string]string{
			"protected-mode": "yes", "requirepass": "", "masterauth": "", "bind": "127.0.0.1",
		}},
		{"sentinel mode is not a cluster", func(s *spec.Spec) { s.Mode = spec.ModeSentinel }, map[string]string{
			"cluster-enabled": "", "cluster-announce-hostname": "",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := spec.Default()
			s.Password = "pw"
			tt.edit(&s)
			conf, err := renderNode(s, planFor(s).Nodes[0])
			if err != nil {
				t.Fatalf("renderNode: %v", err)
			}
			wantDirectives(t, conf, tt.want)
		})
	}
}

// wantDirectives checks single-argument directives; "" wants one absent.
func wantDirectives(t *testing.T, conf []byte, want map[string]string) {
	t.Helper()
	for name, v := range want {
		got, ok := templates.Directive(conf, name)
		switch {
		case v == "" && ok:
			t.Errorf("%s = %q, want it absent", name, got)
		case v != "" && (!ok || !reflect.DeepEqual(got, []string{v})):
			t.Errorf("%s = %q (present %v), want [%q]", name, got, ok, v)
		}
	}
}
