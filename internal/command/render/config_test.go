package render

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/templates"
)

func passwordFile(t *testing.T, pw string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigRender(t *testing.T) {
	pw := `a "q" b\c #x`
	out := filepath.Join(t.TempDir(), "conf")
	stdout, err := run(t, NewConfig, "render", "--masters", "3", "--replicas", "1", "--port", "7000",
		"--password-file", passwordFile(t, pw), "--out", out)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 6 {
		t.Fatalf("render wrote %d files, want 6: %v", len(entries), entries)
	}
	for port := 7000; port <= 7005; port++ {
		path := filepath.Join(out, fmt.Sprintf("redis-%d.conf", port))
		checkFile(t, path, port, pw)
		if !strings.Contains(stdout, path+"\n") {
			t.Errorf("stdout %q does not list %s", stdout, path)
		}
	}
}

func checkFile(t *testing.T, path string, port int, pw string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("%s has mode %o, want 600", path, mode)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"port": fmt.Sprint(port), "requirepass": pw, "masterauth": pw, "bind": "127.0.0.1", "dir": "/data",
	} {
		if got, _ := templates.Directive(data, name); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %s = %q, want %q", path, name, got, want)
		}
	}
}

func TestConfigRenderRefusesBadSpec(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"two masters", []string{"--masters", "2"}, "--masters"},
		{"owned config", []string{"--config", "port 1"}, "--config"},
		{"password and file", []string{"--password", "x", "--password-file", "/nonexistent"}, "--password-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "conf")
			args := append([]string{"render", "--out", out}, tt.args...)
			stdout, err := run(t, NewConfig, args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("render %v: err = %v, want one naming %s", tt.args, err, tt.want)
			}
			if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
				t.Errorf("render %v created %s (stat: %v)", tt.args, out, statErr)
			}
			if stdout != "" {
				t.Errorf("render %v printed %q", tt.args, stdout)
			}
		})
	}
}

func TestConfigRenderNeedsOut(t *testing.T) {
	if _, err := run(t, NewConfig, "render"); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("render without --out: err = %v, want one naming --out", err)
	}
}

// TestConfigRenderFromFileNetwork: render defaults to host networking unless
// the -f file (or a flag) names a network.
func TestConfigRenderFromFileNetwork(t *testing.T) {
	for _, tt := range []struct {
		name, file, directive, want, msg string
	}{
		{"keeps the file's network", "masters: 3\nreplicas: 0\nport: 7100\nnetwork: bridge\n",
			"cluster-announce-hostname", "localhost", "network: bridge from the file was not kept: cluster-announce-hostname = %q"},
		{"without network uses host", "masters: 3\nreplicas: 0\nport: 7100\n",
			"bind", "127.0.0.1", "a file without network: rendered bind %q, want host networking's 127.0.0.1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "spec.yaml")
			if err := os.WriteFile(file, []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "conf")
			if _, err := run(t, NewConfig, "render", "-f", file, "--password", "pw", "--out", out); err != nil {
				t.Fatalf("render -f: %v", err)
			}
			data, err := os.ReadFile(filepath.Join(out, "redis-7100.conf"))
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := templates.Directive(data, tt.directive); len(got) != 1 || got[0] != tt.want {
				t.Errorf(tt.msg, got)
			}
		})
	}
}

func TestConfigRenderTightensExistingFileMode(t *testing.T) {
	out := t.TempDir()
	old := filepath.Join(out, "redis-7000.conf")
	if err := os.WriteFile(old, []byte("stale\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, NewConfig, "render", "--password", "pw", "--out", out); err != nil {
		t.Fatalf("render: %v", err)
	}
	checkFile(t, old, 7000, "pw")
}
