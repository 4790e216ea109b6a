//go:build !nodeimage

package redisx

import (
	"context"
	"crypto/tls"
	"net"
)

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
