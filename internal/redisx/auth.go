package redisx

// Auth is how redis-dock connects to a cluster's nodes: the user (""
// is Redis's default user), the password, and on a TLS cluster the CA
// that signed the nodes' certificates.
type Auth struct {
	User     string
	Password string
	TLS      *TLS // nil: plain TCP
}

// TLS is what a TLS connection to a node needs, as PEM.
type TLS struct {
	CA []byte // the CA that signed the nodes' certificates
	// Cert and Key are the client certificate shown to nodes that want
	// one (tls-auth-clients yes); nil otherwise.
	Cert, Key []byte
}
