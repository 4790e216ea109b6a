package stackplan

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"slices"
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
