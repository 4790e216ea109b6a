//go:build !nodeimage

package redisx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
)

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

// tlsConfig is a's crypto/tls configuration (nil without TLS), or a
// dialer that fails with the reason it cannot be made: Dial is lazy and
// returns no error, so the first command reports it.
func (a Auth) tlsConfig() (*tls.Config, func(context.Context, string, string) (net.Conn, error)) {
	if a.TLS == nil {
		return nil, nil
	}
	cfg, err := a.TLS.Config()
	if err != nil {
		return nil, func(context.Context, string, string) (net.Conn, error) { return nil, err }
	}
	return cfg, nil
}
