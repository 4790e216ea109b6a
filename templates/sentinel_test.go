package templates

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRenderSentinelGolden(t *testing.T) {
	base := Sentinel{
		Port: 7003, Password: "s3cret-pass", Dir: "/data", MasterName: "demo",
		MasterHost: "10.213.7.10", MasterPort: 7000, Quorum: 2, DownAfter: 5000, FailoverTimeout: 10000,
	}
	tests := []struct {
		golden string
		edit   func(s *Sentinel)
	}{
		{"sentinel-bridge", func(s *Sentinel) { s.Name = "demo-7003" }},
		{"sentinel-host-announce", func(s *Sentinel) {
			s.Name, s.Port, s.Bind = "demo-7004", 7004, []string{"127.0.0.1"}
			s.MasterHost, s.AnnounceIP, s.Quorum, s.DownAfter = "192.0.2.10", "192.0.2.10", 3, 1000
		}},
		{"sentinel-tls", func(s *Sentinel) {
			s.Name, s.TLS, s.AuthUser = "demo-7003", TLSIn("/etc/redis/tls", false), "redis-dock"
		}},
		{"sentinel-no-password", func(s *Sentinel) {
			s.Name, s.Password, s.ProtectedMode, s.ParallelSyncs = "demo-7005", "", true, 2
		}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			s := base
			tt.edit(&s)
			got, err := RenderSentinel(s)
			if err != nil {
				t.Fatalf("RenderSentinel: %v", err)
			}
			checkGolden(t, filepath.Join("testdata", tt.golden+".golden"), got)
		})
	}
}

func TestRenderSentinelErrors(t *testing.T) {
	ok := Sentinel{Port: 7003, MasterName: "m", MasterHost: "10.0.0.1", MasterPort: 7000, Quorum: 1, DownAfter: 1, FailoverTimeout: 1}
	tests := []struct {
		name string
		edit func(s *Sentinel)
		want string
	}{
		{"port zero", func(s *Sentinel) { s.Port = 0 }, "port 0"},
		{"master port", func(s *Sentinel) { s.MasterPort = 70000 }, "port 70000"},
		{"empty master name", func(s *Sentinel) { s.MasterName = "" }, "master name"},
		{"master name with space", func(s *Sentinel) { s.MasterName = "my master" }, "master name"},
		{"hostname", func(s *Sentinel) { s.MasterHost = "localhost" }, "want an IP"},
		{"announce hostname", func(s *Sentinel) { s.AnnounceIP = "host.docker.internal" }, "announce"},
		{"quorum zero", func(s *Sentinel) { s.Quorum = 0 }, "quorum 0"},
		{"down-after zero", func(s *Sentinel) { s.DownAfter = 0 }, "down-after 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.edit(&s)
			_, err := RenderSentinel(s)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("RenderSentinel error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := RenderSentinel(ok); err != nil {
		t.Fatalf("RenderSentinel(valid) = %v", err)
	}
}

// TestSentinelPasswordDirectives checks the password lands in all three
// places, read back the way Redis reads them.
func TestSentinelPasswordDirectives(t *testing.T) {
	pw := "Hunter2-#!$%&"
	conf, err := RenderSentinel(Sentinel{Port: 7003, Password: pw, MasterName: "m", MasterHost: "10.0.0.1",
		MasterPort: 7000, Quorum: 1, DownAfter: 1000, FailoverTimeout: 10000})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"requirepass": {pw}, "sentinel": {"parallel-syncs", "m", "1"}, // last sentinel line wins
	}
	for name, args := range want {
		if got, ok := Directive(conf, name); !ok || !reflect.DeepEqual(got, args) {
			t.Errorf("Directive(%s) = %q, %v; want %q", name, got, ok, args)
		}
	}
	for _, line := range []string{`sentinel sentinel-pass "` + pw + `"`, `sentinel auth-pass m "` + pw + `"`} {
		if !strings.Contains(string(conf), line+"\n") {
			t.Errorf("sentinel.conf lacks %s:\n%s", line, conf)
		}
	}
}
