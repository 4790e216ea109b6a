package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultValidates(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	pwFile := writeFile(t, dir, "pw", "secret\n")
	emptyFile := writeFile(t, dir, "empty", "")
	newlineFile := writeFile(t, dir, "newline", "\nsecond line\n")
	missing := filepath.Join(dir, "missing")
	tests := []struct {
		name string
		edit func(s *Spec)
		want []string // empty: valid
	}{
		{"masters 2", func(s *Spec) { s.Masters = 2 }, []string{"--masters 2", "at least 3"}},
		{"masters 0", func(s *Spec) { s.Masters = 0 }, []string{"--masters 0"}},
		{"sentinel with 1 master", func(s *Spec) { s.Mode, s.Masters = ModeSentinel, 1 }, nil},
		{"too many nodes", func(s *Spec) { s.Masters, s.Replicas = 101, 1 }, []string{"--masters 101", "--replicas 1"}},
		{"replicas -1", func(s *Spec) { s.Replicas = -1 }, []string{"--replicas -1"}},
		{"replicas 0", func(s *Spec) { s.Replicas = 0 }, nil},
		{"port 0", func(s *Spec) { s.Port = 0 }, []string{"--port 0"}},
		{"port past 65535", func(s *Spec) { s.Port, s.BusPort = 65531, 20000 }, []string{"--port 65531", "65531..65536"}},
		{"port ends at 65535", func(s *Spec) { s.Port, s.BusPort = 65530, 20000 }, nil},
		{"default bus ports past 65535", func(s *Spec) { s.Port = 60000 }, []string{"--bus-port 70000"}},
		{"bus overlaps client", func(s *Spec) { s.BusPort = 7003 }, []string{"--bus-port 7003", "overlap"}},
		{"bus just below client", func(s *Spec) { s.BusPort = 6994 }, nil},
		{"bus overlaps from below", func(s *Spec) { s.BusPort = 6995 }, []string{"--bus-port 6995", "overlap"}},
		{"bus just above client", func(s *Spec) { s.BusPort = 7006 }, nil},
		{"bus ports ignored for sentinel", func(s *Spec) { s.Mode, s.Masters, s.BusPort = ModeSentinel, 1, 7000 }, nil},
		{"uppercase name", func(s *Spec) { s.Name = "Demo" }, []string{`--name "Demo"`, "[a-z0-9-]"}},
		{"leading dash", func(s *Spec) { s.Name = "-demo" }, []string{`--name "-demo"`}},
		{"underscore", func(s *Spec) { s.Name = "my_cluster" }, []string{`--name "my_cluster"`}},
		{"empty name", func(s *Spec) { s.Name = "" }, []string{`--name ""`}},
		{"long name", func(s *Spec) { s.Name = strings.Repeat("a", 41) }, []string{"--name"}},
		{"40 char name", func(s *Spec) { s.Name = strings.Repeat("a", 40) }, nil},
		{"digits and dashes", func(s *Spec) { s.Name = "0-a-b" }, nil},
		{"unknown network", func(s *Spec) { s.Network = "overlay" }, []string{`--network "overlay"`, "bridge or host"}},
		{"unknown endpoint", func(s *Spec) { s.Endpoint = "dns" }, []string{`--endpoint "dns"`, "hostname", "ip"}},
		{"unknown mode", func(s *Spec) { s.Mode = "standalone" }, []string{`--mode "standalone"`, "cluster or sentinel"}},
		{"bad host ip", func(s *Spec) { s.HostIP = "localhost" }, []string{"--host-ip"}},
		{"bad bind", func(s *Spec) { s.Bind = "1.2.3" }, []string{"--bind"}},
		{"loopback announce on bridge", func(s *Spec) { s.AnnounceIP = "127.0.0.1" }, []string{"--announce-ip"}},
		{"loopback announce on host", func(s *Spec) { s.Network, s.AnnounceIP = NetworkHost, "127.0.0.1" }, nil},
		{"subnet too small", func(s *Spec) { s.Subnet = "10.0.0.0/25" }, []string{"--subnet"}},
		{"node timeout", func(s *Spec) { s.NodeTimeout = 99 }, []string{"--node-timeout 99"}},
		{"wait zero", func(s *Spec) { s.Wait = 0 }, []string{"--wait"}},
		{"no image", func(s *Spec) { s.Image = "" }, []string{"--image"}},
		{"owned config", func(s *Spec) { s.Config = []string{"port 1"} }, []string{"--config", "port"}},
		{"extra config", func(s *Spec) { s.Config = []string{"maxmemory 100mb"} }, nil},
		{"password file", func(s *Spec) { s.PasswordFile = pwFile }, nil},
		{"missing password file", func(s *Spec) { s.PasswordFile = missing }, []string{"--password-file " + missing}},
		{"empty password file", func(s *Spec) { s.PasswordFile = emptyFile }, []string{"--password-file " + emptyFile, "empty"}},
		{"empty first line", func(s *Spec) { s.PasswordFile = newlineFile }, []string{"--password-file", "empty"}},
		{"password and file", func(s *Spec) { s.Password, s.PasswordFile = "x", pwFile }, []string{"--password and --password-file"}},
		{"password with newline", func(s *Spec) { s.Password = "a\nb" }, []string{"--password"}},
		{"no password on loopback host ip", func(s *Spec) { s.NoPassword = true }, nil},
		{"no password on public host ip", func(s *Spec) { s.NoPassword, s.HostIP = true, "192.0.2.4" }, []string{"--no-password with --host-ip 192.0.2.4", "--host-ip 127.0.0.1"}},
		{"no password on every address", func(s *Spec) { s.NoPassword, s.HostIP = true, "" }, []string{"--no-password with --host-ip 0.0.0.0"}},
		{"no password with ipv6 loopback", func(s *Spec) { s.NoPassword, s.HostIP = true, "::1" }, nil},
		{"no password on host with loopback bind", func(s *Spec) { s.NoPassword, s.Network = true, NetworkHost }, nil},
		{"no password on host with public bind", func(s *Spec) { s.NoPassword, s.Network, s.Bind, s.AnnounceIP = true, NetworkHost, "192.0.2.4", "" }, []string{"--no-password with --bind 192.0.2.4"}},
		{"no password and a password", func(s *Spec) { s.NoPassword, s.Password = true, "x" }, []string{"--no-password", "--password"}},
		{"several mistakes at once", func(s *Spec) { s.Masters, s.Network = 2, "overlay" }, []string{"--masters", "--network"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Default()
			tt.edit(&s)
			checkValidate(t, s, tt.want)
		})
	}
}

func TestParse(t *testing.T) {
	s, err := Parse([]byte("name: demo\nmasters: 4\nwait: 90s\nconfig:\n  - maxmemory 100mb\n"), Default(), "spec.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if s.Name != "demo" || s.Masters != 4 || s.Wait != 90*time.Second || len(s.Config) != 1 {
		t.Errorf("Parse = %+v, want name demo, masters 4, wait 90s, one config line", s)
	}
	if s.Port != 7000 || s.Replicas != 1 || s.Network != NetworkBridge {
		t.Errorf("Parse lost defaults: %+v", s)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown field", "name: demo\nmasters: 3\nmastres: 4\n", []string{"spec.yaml", "line 3", "unknown key mastres"}},
		{"password is not a field", "name: demo\npassword: x\n", []string{"line 2", "password"}},
		{"bad duration", "wait: soon\n", []string{"line 1"}},
		{"wrong type", "masters: three\n", []string{"line 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := Default()
			s, err := Parse([]byte(tt.yaml), base, "spec.yaml")
			if err == nil {
				t.Fatalf("Parse(%q) = nil error", tt.yaml)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse error = %q, want it to contain %q", err, w)
				}
			}
			if s.Name != base.Name || s.Masters != base.Masters {
				t.Errorf("Parse returned %+v on error, want the base spec", s)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	s, err := Parse(nil, Default(), "empty.yaml")
	if err != nil || s.Name != "default" {
		t.Fatalf("Parse(empty) = %+v, %v; want the defaults", s, err)
	}
}

func TestLoadFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	if _, err := LoadFile(path, Default()); err == nil || !strings.Contains(err.Error(), "-f "+path) {
		t.Fatalf("LoadFile(missing) = %v, want an error naming -f %s", err, path)
	}
}

func TestReadPasswordFile(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"no newline", "secret", "secret"},
		{"trailing LF", "secret\n", "secret"},
		{"trailing CRLF", "secret\r\n", "secret"},
		{"inner and outer spaces kept", "  my se cret \t\n", "  my se cret \t"},
		{"only first line", "first\nsecond\n", "first"},
		{"blank lines after", "secret\n\n\n", "secret"},
		{"nasty", "a \"q\" b\\c #x\n", "a \"q\" b\\c #x"},
		{"utf-8", "pässwörd 密码\r\n", "pässwörd 密码"},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, "pw"+string(rune('a'+i)), tt.content)
			got, err := ReadPasswordFile(path)
			if err != nil || got != tt.want {
				t.Fatalf("ReadPasswordFile(%q) = %q, %v; want %q", tt.content, got, err, tt.want)
			}
		})
	}
}

func TestReadPasswordFileErrors(t *testing.T) {
	dir := t.TempDir()
	for _, content := range []string{"", "\n", "\r\n", "a\x00b\n"} {
		path := writeFile(t, dir, "bad", content)
		if _, err := ReadPasswordFile(path); err == nil || !strings.Contains(err.Error(), "--password-file") {
			t.Errorf("ReadPasswordFile(%q) = %v, want an error naming --password-file", content, err)
		}
	}
}

func TestResolvePassword(t *testing.T) {
	s := Default()
	generated, err := s.ResolvePassword()
	if err != nil || !generated || len(s.Password) < 24 {
		t.Fatalf("ResolvePassword() = %v, %v, password %q; want a generated one", generated, err, s.Password)
	}
	s = Default()
	s.PasswordFile = writeFile(t, t.TempDir(), "pw", "from-file\n")
	if generated, err := s.ResolvePassword(); err != nil || generated || s.Password != "from-file" {
		t.Fatalf("ResolvePassword() = %v, %v, password %q; want from-file", generated, err, s.Password)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestProtectedMode: the one rule every renderer asks. Protected mode
// stays on only where every peer and client is on loopback: host
// networking without a password. On a bridge, peers and the published
// ports arrive from other addresses and it would refuse them.
func TestProtectedMode(t *testing.T) {
	tests := []struct {
		network, password string
		want              bool
	}{
		{NetworkBridge, "pw", false},
		{NetworkBridge, "", false},
		{NetworkHost, "pw", false},
		{NetworkHost, "", true},
	}
	for _, tt := range tests {
		for _, mode := range []string{ModeCluster, ModeSentinel} {
			s := Default()
			s.Mode, s.Network, s.Password = mode, tt.network, tt.password
			if got := s.ProtectedMode(); got != tt.want {
				t.Errorf("%s on %s, password %q: ProtectedMode() = %v, want %v", mode, tt.network, tt.password, got, tt.want)
			}
		}
	}
}

// TestNet: the spec hands its network mode the fields the mode reads.
func TestNet(t *testing.T) {
	s := Default()
	s.Mode, s.Network, s.Bind, s.AnnounceIP, s.NoPassword = ModeSentinel, NetworkHost, "127.0.0.2", "192.0.2.9", true
	n := s.Net()
	if n.Mode.Name() != NetworkHost || n.Cluster != s.Name || n.HostIP != s.HostIP || n.Bind != s.Bind ||
		n.AnnounceIP != s.AnnounceIP || !n.NoPassword || !n.Sentinel {
		t.Errorf("Net() = %+v, want the spec's fields", n)
	}
}
