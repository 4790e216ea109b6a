package redisx

import "errors"

// Auth is how redis-dock connects to a cluster's nodes: the user (""
// is Redis's default user), the password, and on a TLS cluster the CA
// that signed the nodes' certificates.
type Auth struct {
	User     string
	Password string
	TLS      *TLS // nil: plain TCP
}

// TLS is what a TLS connection to a node needs, as PEM. It holds no
// crypto/tls types, so the node image's build (which speaks no TLS, see
// lite.go) does not link crypto/tls.
type TLS struct {
	CA []byte // the CA that signed the nodes' certificates
	// Cert and Key are the client certificate shown to nodes that want
	// one (tls-auth-clients yes); nil otherwise.
	Cert, Key []byte
}

// errNoTLS is the small client's answer to a TLS cluster.
var errNoTLS = errors.New("TLS clusters are not supported by the node image's redis-dock (swarm and compose refuse --tls)")

// refuseTLS is errNoTLS for a TLS cluster, for the small client.
func (a Auth) refuseTLS() error {
	if a.TLS != nil {
		return errNoTLS
	}
	return nil
}
