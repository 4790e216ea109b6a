package tlsca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func mustNew(t *testing.T, days int) *Authority {
	t.Helper()
	a, err := New("demo", days, now)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestNewCA(t *testing.T) {
	a := mustNew(t, 30)
	ca, err := parseCert(a.CACert)
	if err != nil {
		t.Fatal(err)
	}
	if !ca.IsCA || !ca.BasicConstraintsValid || !ca.MaxPathLenZero {
		t.Errorf("CA constraints: IsCA=%v valid=%v maxPathLenZero=%v", ca.IsCA, ca.BasicConstraintsValid, ca.MaxPathLenZero)
	}
	if ca.KeyUsage&x509.KeyUsageCertSign == 0 {
		t.Errorf("CA key usage %v lacks CertSign", ca.KeyUsage)
	}
	if k, ok := ca.PublicKey.(*ecdsa.PublicKey); !ok || k.Curve != elliptic.P256() {
		t.Errorf("CA key is %T, want ECDSA P-256", ca.PublicKey)
	}
	if want := now.Add(30 * 24 * time.Hour); !ca.NotAfter.Equal(want) {
		t.Errorf("CA NotAfter = %s, want %s", ca.NotAfter, want)
	}
	if ca.Subject.CommonName != "redis-dock CA demo" {
		t.Errorf("CA subject %q", ca.Subject.CommonName)
	}
	if _, err := New("demo", 0, now); err == nil || !strings.Contains(err.Error(), "--tls-days") {
		t.Errorf("New with 0 days: %v, want an error naming --tls-days", err)
	}
}

func TestIssue(t *testing.T) {
	a := mustNew(t, 10)
	a.Days = 365 // longer than the CA: the certificate ends with it
	p, err := a.Issue("demo-7000", []string{"localhost", "127.0.0.1", "demo-7000", "10.213.5.10", "localhost"}, now)
	if err != nil {
		t.Fatal(err)
	}
	c, err := parseCert(p.Cert)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.DNSNames, []string{"localhost", "demo-7000"}) {
		t.Errorf("DNS names %v", c.DNSNames)
	}
	if len(c.IPAddresses) != 2 || !c.IPAddresses[0].Equal(net.ParseIP("127.0.0.1")) || !c.IPAddresses[1].Equal(net.ParseIP("10.213.5.10")) {
		t.Errorf("IP addresses %v", c.IPAddresses)
	}
	if c.IsCA || c.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("IsCA=%v key usage %v, want a leaf for digital signatures", c.IsCA, c.KeyUsage)
	}
	if !slices.Equal(c.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}) {
		t.Errorf("extended key usage %v, want server and client auth", c.ExtKeyUsage)
	}
	if want := now.Add(10 * 24 * time.Hour); !c.NotAfter.Equal(want) {
		t.Errorf("NotAfter = %s, want the CA's %s", c.NotAfter, want)
	}
	if k, ok := c.PublicKey.(*ecdsa.PublicKey); !ok || k.Curve != elliptic.P256() {
		t.Errorf("key is %T, want ECDSA P-256", c.PublicKey)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(a.CACert)
	for _, host := range []string{"localhost", "127.0.0.1", "demo-7000", "10.213.5.10"} {
		if err := Check(p.Cert, p.Key, roots, []string{host}, x509.ExtKeyUsageServerAuth, now); err != nil {
			t.Errorf("Check for %s: %v", host, err)
		}
	}
	if err := Check(p.Cert, p.Key, roots, []string{"10.0.0.1"}, x509.ExtKeyUsageServerAuth, now); err == nil {
		t.Error("Check for a name the certificate lacks passed")
	}
	if err := Check(p.Cert, p.Key, roots, nil, x509.ExtKeyUsageClientAuth, now.Add(11*24*time.Hour)); err == nil {
		t.Error("Check after the CA expired passed")
	}
}

func TestNodePairWithoutCAKey(t *testing.T) {
	a := &Authority{CACert: mustNew(t, 1).CACert}
	if _, err := a.NodePair("demo-7006", nil, now); err == nil || !strings.Contains(err.Error(), "--tls-cert-dir") {
		t.Errorf("NodePair without a CA key or certificate: %v", err)
	}
	a.Nodes = map[string]Pair{"demo-7000": {Cert: []byte("c")}}
	if p, err := a.NodePair("demo-7000", nil, now); err != nil || string(p.Cert) != "c" {
		t.Errorf("NodePair of a brought node: %q, %v", p.Cert, err)
	}
}

// brought writes a CA and certificates for nodes into a directory, as a
// user would bring them.
func brought(t *testing.T, nodes ...string) (*Authority, Brought) {
	t.Helper()
	a := mustNew(t, 30)
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("ca.pem", a.CACert)
	for _, n := range nodes {
		p, err := a.Issue(n, []string{"localhost", "127.0.0.1"}, now)
		if err != nil {
			t.Fatal(err)
		}
		write(n+".crt", p.Cert)
		write(n+".key", p.Key)
	}
	return a, Brought{CAFile: filepath.Join(dir, "ca.pem"), CertDir: dir, Nodes: []string{"demo-7000", "demo-7001"}, Hosts: []string{"127.0.0.1", "localhost"}}
}

func TestLoad(t *testing.T) {
	_, b := brought(t, "demo-7000", "demo-7001")
	a, err := Load(b, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Nodes) != 2 || a.Shared != nil || a.CAKey != nil {
		t.Errorf("per-node load: %d nodes, shared %v, CA key %v", len(a.Nodes), a.Shared != nil, a.CAKey != nil)
	}
	_, b = brought(t, "node")
	if a, err = Load(b, now); err != nil || a.Shared == nil {
		t.Fatalf("shared load: %v, shared %v", err, a != nil && a.Shared != nil)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, b *Brought)
		want string
	}{
		{"missing CA", func(t *testing.T, b *Brought) { b.CAFile += ".gone" }, "--tls-ca"},
		{"CA not PEM", func(t *testing.T, b *Brought) { os.WriteFile(b.CAFile, []byte("x"), 0o600) }, "--tls-ca"},
		{"a node without a certificate", func(t *testing.T, b *Brought) { b.Nodes = append(b.Nodes, "demo-7002") }, "demo-7002.crt"},
		{"a name the certificates lack", func(t *testing.T, b *Brought) { b.Hosts = []string{"192.0.2.1"} }, "not valid for 192.0.2.1"},
		{"another CA", func(t *testing.T, b *Brought) { os.WriteFile(b.CAFile, mustNew(t, 1).CACert, 0o600) }, "not valid with the CA"},
		{"a key of another certificate", func(t *testing.T, b *Brought) {
			k, _ := os.ReadFile(filepath.Join(b.CertDir, "demo-7001.key"))
			os.WriteFile(filepath.Join(b.CertDir, "demo-7000.key"), k, 0o600)
		}, "do not match"},
		{"client auth without a client certificate", func(t *testing.T, b *Brought) { b.ClientAuth = true }, "client.crt"},
		{"a leaf as the CA", func(t *testing.T, b *Brought) {
			c, _ := os.ReadFile(filepath.Join(b.CertDir, "demo-7000.crt"))
			os.WriteFile(b.CAFile, c, 0o600)
		}, "not a CA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, b := brought(t, "demo-7000", "demo-7001")
			tt.edit(t, &b)
			_, err := Load(b, now)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: %v, want an error with %q", err, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), "--tls-") {
				t.Errorf("Load: %v names no flag", err)
			}
		})
	}
}
