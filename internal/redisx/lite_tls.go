package redisx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
)

// dial connects to the node, over TLS on a TLS cluster.
func (n *liteConn) dial(ctx context.Context) (net.Conn, error) {
	d := net.Dialer{Timeout: dialTimeout}
	c, err := d.DialContext(ctx, "tcp", n.addr)
	if err != nil || n.auth.TLS == nil {
		if err != nil {
			return nil, fmt.Errorf("dial tcp %s: %w", n.addr, err)
		}
		return c, nil
	}
	if n.tls == nil {
		if n.tls, err = n.auth.TLS.chainConfig(); err != nil {
			c.Close()
			return nil, err
		}
	}
	tc := tls.Client(c, n.tls)
	hctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("TLS handshake with %s: %w", n.addr, err)
	}
	return tc, nil
}

// chainConfig is the small client's TLS configuration: a node is trusted
// when the cluster's CA signed its certificate, whatever address it was
// dialled at, which is how redis-server checks its peers. The small
// client dials tasks by the addresses the nodes announce (they change
// with every task; the certificates name the services), and the CA is
// the cluster's own, signing nothing but its nodes.
func (t *TLS) chainConfig() (*tls.Config, error) {
	cfg, err := t.Config()
	if err != nil {
		return nil, err
	}
	roots := cfg.RootCAs
	cfg.InsecureSkipVerify = true // the chain is checked by VerifyConnection below
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("the node showed no certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		if err != nil {
			return fmt.Errorf("the node's certificate is not from the cluster's CA: %w", err)
		}
		return nil
	}
	return cfg, nil
}

// Config is the crypto/tls configuration of t: the nodes' CA as the only
// root, and the client certificate when there is one. The server name is
// left to each connection (the host of the address dialled), so a cluster
// client following MOVED to localhost:<port> checks that name.
func (t *TLS) Config() (*tls.Config, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(t.CA) {
		return nil, errors.New("the cluster's CA certificate is not PEM")
	}
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if len(t.Cert) > 0 {
		pair, err := tls.X509KeyPair(t.Cert, t.Key)
		if err != nil {
			return nil, fmt.Errorf("the cluster's client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}
