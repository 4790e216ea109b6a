package provision

import (
	"crypto/x509"
	"encoding/pem"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// TestTLSFiles: a node gets its CA, certificate and key readable by the
// redis user only, and the CA key and client certificate go where only
// root reads them; the certificate names what clients and peers dial.
func TestTLSFiles(t *testing.T) {
	s := spec.Default()
	s.Name, s.TLS, s.TLSClientAuth = "demo", true, true
	n := topology.Node{Name: "demo-7000", Port: 7000, IP: netip.MustParseAddr("10.213.5.10")}
	a, err := ResolveTLS(s, []topology.Node{n})
	if err != nil {
		t.Fatal(err)
	}
	files, err := TLSFiles(s, a, n)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
		if f.Mode != 0o600 {
			t.Errorf("%s: mode %o, want 0600", f.Path, f.Mode)
		}
		wantUID := 0
		if strings.HasPrefix(f.Path, images.TLSDir+"/") {
			wantUID = images.UID
		}
		if f.UID != wantUID || f.GID != wantUID {
			t.Errorf("%s: owner %d:%d, want %d", f.Path, f.UID, f.GID, wantUID)
		}
	}
	want := []string{"/etc/redis/tls/ca.crt", "/etc/redis/tls/node.crt", "/etc/redis/tls/node.key",
		"/etc/redis-dock/ca.key", "/etc/redis-dock/client.crt", "/etc/redis-dock/client.key"}
	if !slices.Equal(paths, want) {
		t.Errorf("files %v, want %v", paths, want)
	}
	b, _ := pem.Decode(files[1].Data)
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"localhost", "127.0.0.1", "demo-7000", "10.213.5.10"} {
		if err := c.VerifyHostname(host); err != nil {
			t.Errorf("node certificate: %v", err)
		}
	}
	if none, err := TLSFiles(s, nil, n); err != nil || none != nil {
		t.Errorf("TLSFiles without TLS: %v, %v", none, err)
	}
}
