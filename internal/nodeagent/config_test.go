package nodeagent

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFinalizeUsers: a node of a stack with ACL users gets the users'
// lines and masteruser at start; with the default user off there is no
// requirepass (it would give the default user a password).
func TestFinalizeUsers(t *testing.T) {
	ip := netip.MustParseAddr("10.214.1.5")
	tests := []struct {
		name      string
		sec       Secrets
		want, not []string
	}{
		{"password only", Secrets{Password: "pw"}, []string{`requirepass "pw"`, `masterauth "pw"`}, []string{"masteruser", "user "}},
		{"users", Secrets{Password: "pw", User: "redis-dock", Users: []string{"user redis-dock on #ab ~* &* +@all", "user app on #cd ~app:* +@read"}},
			[]string{`requirepass "pw"`, `masteruser "redis-dock"`, `masterauth "pw"`, "user app on #cd ~app:* +@read"}, nil},
		{"no default user", Secrets{Password: "pw", User: "redis-dock", Users: []string{"user redis-dock on #ab ~* &* +@all", "user default off"}},
			[]string{`masteruser "redis-dock"`, `masterauth "pw"`, "user default off"}, []string{"requirepass"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Finalize([]byte("port 7000\n"), ip, tt.sec)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(got), w+"\n") {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(string(got), n) {
					t.Errorf("unexpected %q in\n%s", n, got)
				}
			}
		})
	}
	if _, err := Finalize([]byte("port 7000\nuser app on nopass\n"), ip, Secrets{}); err == nil {
		t.Error("a base config with user lines was accepted")
	}
}

// TestReadUsers: a users file holds `user` lines only.
func TestReadUsers(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good"), filepath.Join(dir, "bad")
	os.WriteFile(good, []byte("user a on #x ~* +@all\n\nuser default off\n"), 0o600)
	os.WriteFile(bad, []byte("requirepass x\n"), 0o600)
	if got, err := ReadUsers(good); err != nil || len(got) != 2 {
		t.Errorf("ReadUsers(good) = %v, %v", got, err)
	}
	if _, err := ReadUsers(bad); err == nil || !strings.Contains(err.Error(), "--users-file") {
		t.Errorf("ReadUsers(bad) = %v, want an error naming --users-file", err)
	}
}

// TestPortsTLS: a TLS node's client port is its tls-port.
func TestPortsTLS(t *testing.T) {
	port, bus, err := Ports([]byte("port 0\ntls-port 7001\ncluster-port 17001\n"))
	if err != nil || port != 7001 || bus != 17001 {
		t.Errorf("Ports = %d, %d, %v; want 7001, 17001", port, bus, err)
	}
}
