package swarm

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// TestRenderTLSGolden: a TLS stack mounts the CA into every service and
// each node's own certificate and key into that node only, as files the
// stack file refers to.
func TestRenderTLSGolden(t *testing.T) {
	p := testPlan(t, 3, 1)
	p.Spec.TLS = true
	files := Files{Dir: "/srv/demo-stack", Password: "/srv/demo-stack/password", TLSDir: "/srv/demo-stack/tls"}
	got, err := Render(p, files, Placement{})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "stack-3x1-tls.golden"), got)
}

// TestWriteFilesTLS: stack render writes the material once, keys readable
// by the owner only, no key in the stack file, and a second render keeps
// the first one's certificates (Swarm refuses to change a secret).
func TestWriteFilesTLS(t *testing.T) {
	dir := t.TempDir()
	p := testPlan(t, 3, 1)
	p.Spec.TLS = true
	f, err := WriteFiles(p, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(f.TLSDir, stackplan.KeySecret(7000))
	st, err := os.Stat(key)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", key, st.Mode().Perm())
	}
	first, _ := os.ReadFile(key)
	if !bytes.Contains(first, []byte("PRIVATE KEY")) {
		t.Fatalf("%s holds no private key: %q", key, first)
	}
	yml, err := Render(p, f, Placement{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(yml, []byte("PRIVATE KEY")) || bytes.Contains(yml, []byte("BEGIN CERTIFICATE")) {
		t.Error("the stack file holds TLS material instead of referring to it")
	}
	if _, err := WriteFiles(p, dir, ""); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(key); !bytes.Equal(first, again) {
		t.Error("a second render replaced the node's key")
	}
}

// TestRenderUsersGolden: a stack with ACL users mounts the users secret
// into the node services only, and every in-image command logs in as the
// admin user.
func TestRenderUsersGolden(t *testing.T) {
	p := testPlan(t, 3, 1)
	p.Spec.Users, p.Spec.NoDefaultUser = []string{"app:~app:* +@read"}, true
	files := Files{Dir: "/srv/demo-stack", Password: "/srv/demo-stack/password", Users: "/srv/demo-stack/users"}
	got, err := Render(p, files, Placement{})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "stack-3x1-users.golden"), got)
}
