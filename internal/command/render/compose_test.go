package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestComposeRender(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, NewCompose, "render", "--name", "shop", "--port", "7100", "--dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"127.0.0.1:7100:7100/tcp"`, "ipv4_address: 10.215.", "source: " + filepath.Join(dir, "redis-7100.conf"), "user: \"0:0\""} {
		if !strings.Contains(out, want) {
			t.Errorf("compose file lacks %q:\n%s", want, out)
		}
	}
}

func TestComposeRenderRefusesHostNetwork(t *testing.T) {
	if _, err := run(t, NewCompose, "render", "--network", "host", "--dir", t.TempDir()); err == nil || !strings.Contains(err.Error(), "--network") {
		t.Errorf("err = %v, want one naming --network", err)
	}
}

// TestComposeRenderNoPassword: allowed with ports on loopback (no secret, no
// password file); refused, naming both flags, with ports on another
// address, before any file is written.
func TestComposeRenderNoPassword(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	out, err := run(t, NewCompose, "render", "--name", "open", "--port", "7100", "--no-password", "--dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "secrets:") || strings.Contains(out, "--password-file") || !strings.Contains(out, `"127.0.0.1:7100:7100/tcp"`) {
		t.Errorf("compose file:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "password")); !os.IsNotExist(err) {
		t.Errorf("a password file was written: %v", err)
	}
	dir2 := filepath.Join(t.TempDir(), "files")
	_, err = run(t, NewCompose, "render", "--name", "open", "--no-password", "--host-ip", "0.0.0.0", "--dir", dir2)
	if err == nil || !strings.Contains(err.Error(), "--no-password with --host-ip 0.0.0.0") {
		t.Errorf("err = %v, want one naming --no-password and --host-ip", err)
	}
	if _, err := os.Stat(dir2); !os.IsNotExist(err) {
		t.Errorf("the refused render made %s: %v", dir2, err)
	}
}
