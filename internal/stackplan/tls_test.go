package stackplan

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// TestFromSpecTLS: compose files refuse --tls; stacks take it, but not
// the flags that bring the user's own certificates.
func TestFromSpecTLS(t *testing.T) {
	s := spec.Default()
	s.TLS = true
	if _, err := FromSpec(s, true); !errors.Is(err, ErrNoTLS) {
		t.Errorf("compose FromSpec with --tls: %v, want ErrNoTLS", err)
	}
	p, err := FromSpec(s, false)
	if err != nil {
		t.Fatalf("stack FromSpec with --tls: %v", err)
	}
	if !slices.Contains(p.NodeCommand(), CAPath) || !slices.Contains(p.BootstrapCommand(), CAPath) {
		t.Errorf("node and bootstrap commands do not name the CA: %v / %v", p.NodeCommand(), p.BootstrapCommand())
	}
	s.TLSClientAuth = true
	if _, err := FromSpec(s, false); !errors.Is(err, ErrStackTLSFlags) {
		t.Errorf("stack FromSpec with --tls-client-auth: %v, want ErrStackTLSFlags", err)
	}
}

// TestMakeTLS: every node's certificate is from the CA and names its
// service, so a client on the overlay can check it by name.
func TestMakeTLS(t *testing.T) {
	s := spec.Default()
	s.TLS = true
	p, err := FromSpec(s, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := MakeTLS(p, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(m.CA)
	for _, n := range p.Nodes {
		b, _ := pem.Decode(m.Nodes[n.Port].Cert)
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, DNSName: n.Service}); err != nil {
			t.Errorf("%s: %v", n.Service, err)
		}
	}
	if got := len(m.Secrets()); got != 1+2*len(p.Nodes) {
		t.Errorf("%d secrets, want %d", got, 1+2*len(p.Nodes))
	}
}

// TestUsersStack: a stack's users travel in the users secret only (the
// base configs, which are Swarm configs, hold no user line or hash), the
// nodes read it and every in-image command logs in as the admin user;
// compose files refuse users.
func TestUsersStack(t *testing.T) {
	s := spec.Default()
	s.Users, s.NoDefaultUser, s.Password = []string{"app:~app:* +@read"}, true, "pw"
	if _, err := FromSpec(s, true); !errors.Is(err, ErrNoUsers) {
		t.Errorf("compose FromSpec with --user: %v, want ErrNoUsers", err)
	}
	p, err := FromSpec(s, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Spec.ResolveUserPasswords(); err != nil {
		t.Fatal(err)
	}
	for _, n := range p.Nodes {
		if strings.Contains("\n"+string(n.Conf), "\nuser ") || strings.Contains(string(n.Conf), "requirepass") {
			t.Errorf("%s's base config holds users:\n%s", n.Service, n.Conf)
		}
	}
	users := string(p.UsersFile())
	for _, w := range []string{"user redis-dock on", "user app on", "user default off"} {
		if !strings.Contains(users, w) {
			t.Errorf("users file lacks %q:\n%s", w, users)
		}
	}
	if !slices.Contains(p.NodeCommand(), UsersPath) || !slices.Contains(p.BootstrapCommand(), "redis-dock") {
		t.Errorf("commands: %v / %v", p.NodeCommand(), p.BootstrapCommand())
	}
}

// TestWriteFilesKeepsUserPasswords: a second render reuses the user
// password the first one made (the users secret must not change).
func TestWriteFilesKeepsUserPasswords(t *testing.T) {
	dir := t.TempDir()
	render := func() string {
		s := spec.Default()
		s.Users, s.Password = []string{"app:~app:* +@read"}, "pw"
		p, err := FromSpec(s, false)
		if err != nil {
			t.Fatal(err)
		}
		KeepPassword(p, dir)
		if err := p.Spec.ResolveUserPasswords(); err != nil {
			t.Fatal(err)
		}
		if _, err := WriteFiles(p, dir, ""); err != nil {
			t.Fatal(err)
		}
		pw, _ := p.Spec.UserPassword("app")
		return pw
	}
	if first, second := render(), render(); first == "" || first != second {
		t.Errorf("user password %q, then %q", first, second)
	}
}
