package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStackRender prints the stack and writes its files; rendering again
// keeps the generated password, which the running stack's secret holds.
func TestStackRender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	out, err := run(t, NewStack, "render", "--name", "shop", "--dir", dir, "--subnet", "10.214.9.0/24")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"node-7005:", "bootstrap:", "subnet: 10.214.9.0/24", "file: " + filepath.Join(dir, "password")} {
		if !strings.Contains(out, want) {
			t.Errorf("stack file lacks %q", want)
		}
	}
	pw, err := os.ReadFile(filepath.Join(dir, "password"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, strings.TrimSpace(string(pw))) {
		t.Error("the stack file contains the password")
	}
	if st, _ := os.Stat(filepath.Join(dir, "password")); st.Mode().Perm() != 0o600 {
		t.Errorf("password file mode %v", st.Mode())
	}
	if _, err := os.Stat(filepath.Join(dir, "redis-7000.conf")); err != nil {
		t.Error(err)
	}
	if _, err := run(t, NewStack, "render", "--name", "shop", "--dir", dir, "--subnet", "10.214.9.0/24"); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "password")); !bytes.Equal(again, pw) {
		t.Error("a second render changed the password")
	}
}

func TestStackRenderRefusesBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--masters", "2"}, "--masters"},
		{[]string{"--subnet", "10.0.0.0/28"}, "--subnet"},
		{[]string{"--mode", "sentinel"}, "--mode"},
		{[]string{"--no-password"}, "--no-password: a Swarm stack publishes its ports on every address"},
	}
	for _, tt := range tests {
		_, err := run(t, NewStack, append([]string{"render", "--dir", t.TempDir()}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("render %v: err = %v, want one naming %s", tt.args, err, tt.want)
		}
	}
}

// TestStackRenderNoPasswordWritesNothing: the refusal comes before any file.
func TestStackRenderNoPasswordWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	if _, err := run(t, NewStack, "render", "--name", "open", "--no-password", "--dir", dir); err == nil {
		t.Fatal("render --no-password succeeded")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("render --no-password made %s: %v", dir, err)
	}
}
