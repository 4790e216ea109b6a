// Package tlsca makes and checks the certificates of a TLS cluster with
// Go's crypto/x509: a CA of the cluster's own and one certificate per node
// (ECDSA P-256), or the CA and certificates a user brings. It is pure: it
// reads the files it is given and touches nothing else; package provision
// puts what it makes into the node containers.
package tlsca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

// Pair is a certificate and its private key, both PEM.
type Pair struct {
	Cert []byte
	Key  []byte
}

// Authority is a cluster's TLS material: the CA every node and client
// trusts and what new certificates come from.
type Authority struct {
	CACert []byte // PEM
	// CAKey is the CA's private key (PEM), nil when the user brought a CA
	// without its key: then nodes' certificates come from Shared or Nodes.
	CAKey []byte
	// Shared is one certificate for every node, when the user brought one.
	Shared *Pair
	// Nodes are the user's certificates per node name.
	Nodes map[string]Pair
	// Client is what redis-dock (and users) show nodes that ask clients
	// for a certificate (tls-auth-clients yes); nil when none do.
	Client *Pair
	// Days is the validity of certificates made from CAKey.
	Days int
}

// New makes a CA valid for days days from now, named after the cluster.
func New(cluster string, days int, now time.Time) (*Authority, error) {
	if days < 1 {
		return nil, fmt.Errorf("--tls-days %d: must be 1 or more", days)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("failed to make the CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "redis-dock CA " + cluster, Organization: []string{"redis-dock"}},
		NotBefore:             now.Add(-time.Hour), // tolerate a container clock a little behind
		NotAfter:              now.Add(time.Duration(days) * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("failed to make the CA certificate: %w", err)
	}
	keyPEM, err := encodeKey(key)
	if err != nil {
		return nil, err
	}
	return &Authority{CACert: encodeCert(der), CAKey: keyPEM, Days: days}, nil
}

// Issue makes a certificate for names (DNS names and IP addresses), good
// for servers and clients alike: nodes present theirs on the cluster bus
// and to replicas, where they are the client.
func (a *Authority) Issue(cn string, names []string, now time.Time) (Pair, error) {
	if len(a.CAKey) == 0 {
		return Pair{}, errors.New("the cluster's CA key is not kept (the CA came from --tls-ca): no new certificate can be made")
	}
	ca, caKey, err := a.parseCA()
	if err != nil {
		return Pair{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Pair{}, fmt.Errorf("failed to make a key for %s: %w", cn, err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"redis-dock"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     minTime(now.Add(time.Duration(max(a.Days, 1))*24*time.Hour), ca.NotAfter),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	for _, n := range dedupe(names) {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return Pair{}, fmt.Errorf("failed to make the certificate of %s: %w", cn, err)
	}
	keyPEM, err := encodeKey(key)
	if err != nil {
		return Pair{}, err
	}
	return Pair{Cert: encodeCert(der), Key: keyPEM}, nil
}

// NodePair is node name's certificate: the user's for that node, the
// user's shared one, or a new one for names from the CA.
func (a *Authority) NodePair(name string, names []string, now time.Time) (Pair, error) {
	if p, ok := a.Nodes[name]; ok {
		return p, nil
	}
	if a.Shared != nil {
		return *a.Shared, nil
	}
	if len(a.CAKey) == 0 {
		return Pair{}, fmt.Errorf("node %s has no certificate: the cluster's certificates came from --tls-cert-dir (one per node) without a CA key, so redis-dock cannot make one", name)
	}
	return a.Issue(name, names, now)
}

func (a *Authority) parseCA() (*x509.Certificate, *ecdsa.PrivateKey, error) {
	ca, err := parseCert(a.CACert)
	if err != nil {
		return nil, nil, fmt.Errorf("the cluster's CA certificate: %w", err)
	}
	b, _ := pem.Decode(a.CAKey)
	if b == nil {
		return nil, nil, errors.New("the cluster's CA key is not PEM")
	}
	k, err := x509.ParseECPrivateKey(b.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("the cluster's CA key: %w", err)
	}
	return ca, k, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return n
}

func encodeCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func encodeKey(k *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("failed to encode a key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
}

func parseCert(p []byte) (*x509.Certificate, error) {
	b, _ := pem.Decode(p)
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, errors.New("no PEM CERTIFICATE block")
	}
	return x509.ParseCertificate(b.Bytes)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
