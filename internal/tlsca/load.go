package tlsca

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Shared file names in --tls-cert-dir: one certificate for every node,
// and the client certificate for --tls-client-auth.
const (
	SharedName = "node"
	ClientName = "client"
)

// Brought is what a user brings instead of letting redis-dock make a CA.
type Brought struct {
	CAFile  string   // --tls-ca: the CA certificate (PEM)
	CertDir string   // --tls-cert-dir: <node>.crt/.key per node, or node.crt/.key
	Nodes   []string // node names, the certificates' file names
	// Hosts are the names every node certificate must be valid for: the
	// addresses redis-dock and clients on the host dial.
	Hosts      []string
	ClientAuth bool // client.crt/.key must be there too
}

// Load reads and checks what the user brought: each certificate chains
// to the CA, is valid at now, matches its key and names every host.
// Errors name the flag and the file.
func Load(b Brought, now time.Time) (*Authority, error) {
	caPEM, err := os.ReadFile(b.CAFile)
	if err != nil {
		return nil, fmt.Errorf("--tls-ca %s: %w", b.CAFile, err)
	}
	ca, err := parseCert(caPEM)
	if err != nil {
		return nil, fmt.Errorf("--tls-ca %s: %w", b.CAFile, err)
	}
	if !ca.IsCA {
		return nil, fmt.Errorf("--tls-ca %s: %q is not a CA certificate (basic constraints CA:TRUE)", b.CAFile, ca.Subject.CommonName)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	a := &Authority{CACert: caPEM}
	if a.Shared, err = b.pair(SharedName, roots, b.Hosts, x509.ExtKeyUsageServerAuth, now, false); err != nil {
		return nil, err
	}
	if a.Shared == nil {
		if a.Nodes, err = b.perNode(roots, now); err != nil {
			return nil, err
		}
	}
	if b.ClientAuth {
		if a.Client, err = b.pair(ClientName, roots, nil, x509.ExtKeyUsageClientAuth, now, true); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (b Brought) perNode(roots *x509.CertPool, now time.Time) (map[string]Pair, error) {
	out := map[string]Pair{}
	for _, n := range b.Nodes {
		p, err := b.pair(n, roots, b.Hosts, x509.ExtKeyUsageServerAuth, now, true)
		if err != nil {
			return nil, fmt.Errorf("%w (or give one certificate for every node as %s.crt and %s.key)", err, SharedName, SharedName)
		}
		out[n] = *p
	}
	return out, nil
}

// pair reads name.crt and name.key from the directory and checks them;
// a missing pair is nil, or an error when required.
func (b Brought) pair(name string, roots *x509.CertPool, hosts []string, usage x509.ExtKeyUsage, now time.Time, required bool) (*Pair, error) {
	certFile := filepath.Join(b.CertDir, name+".crt")
	keyFile := filepath.Join(b.CertDir, name+".key")
	certPEM, err := os.ReadFile(certFile)
	if errors.Is(err, os.ErrNotExist) && !required {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("--tls-cert-dir %s: %w", b.CertDir, err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert-dir %s: %s.crt needs its key: %w", b.CertDir, name, err)
	}
	if err := Check(certPEM, keyPEM, roots, hosts, usage, now); err != nil {
		return nil, fmt.Errorf("--tls-cert-dir %s: %s.crt: %w", b.CertDir, name, err)
	}
	return &Pair{Cert: certPEM, Key: keyPEM}, nil
}

// Check verifies a certificate: its key matches, it chains to roots for
// usage at now, and it is valid for every host.
func Check(certPEM, keyPEM []byte, roots *x509.CertPool, hosts []string, usage x509.ExtKeyUsage, now time.Time) error {
	if _, err := tls.X509KeyPair(certPEM, keyPEM); err != nil {
		return fmt.Errorf("certificate and key do not match: %w", err)
	}
	c, err := parseCert(certPEM)
	if err != nil {
		return err
	}
	if _, err := c.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{usage}}); err != nil {
		return fmt.Errorf("not valid with the CA of --tls-ca: %w", err)
	}
	for _, h := range hosts {
		if err := c.VerifyHostname(h); err != nil {
			return fmt.Errorf("not valid for %s, which redis-dock and clients on the host dial: %w", h, err)
		}
	}
	return nil
}
