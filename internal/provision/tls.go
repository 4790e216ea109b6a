package provision

import (
	"context"
	"fmt"
	"net"
	"path"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/tlsca"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

// A TLS cluster keeps its material in its node containers, as it keeps
// its password: what redis-server reads in images.TLSDir (owned by the
// redis user, mode 0600), and what only redis-dock needs (the CA key for
// the certificates of nodes `scale` adds, the client certificate) in
// PrivateDir, owned by root: the engine reads it, redis-server cannot.
const PrivateDir = "/etc/redis-dock"

// Names of the files in PrivateDir.
const (
	caKeyFile      = "ca.key"
	clientCertFile = "client.crt"
	clientKeyFile  = "client.key"
	sharedCertFile = "shared.crt" // the user's one certificate for every node
	sharedKeyFile  = "shared.key"
)

// ResolveTLS makes the cluster's CA (and a client certificate with
// --tls-client-auth), or reads and checks the one the user brought with
// --tls-ca and --tls-cert-dir; nil without --tls. It creates nothing, so
// up runs it before it makes anything.
func ResolveTLS(s spec.Spec, nodes []topology.Node) (*tlsca.Authority, error) {
	if !s.TLS {
		return nil, nil
	}
	now := time.Now()
	if s.TLSCA != "" {
		b := tlsca.Brought{CAFile: s.TLSCA, CertDir: s.TLSCertDir, Hosts: clientHosts(s), ClientAuth: s.TLSClientAuth}
		for _, n := range nodes {
			b.Nodes = append(b.Nodes, n.Name)
		}
		return tlsca.Load(b, now)
	}
	a, err := tlsca.New(s.Name, s.TLSDays, now)
	if err != nil {
		return nil, err
	}
	if s.TLSClientAuth {
		c, err := a.Issue("redis-dock client of "+s.Name, nil, now)
		if err != nil {
			return nil, err
		}
		a.Client = &c
	}
	return a, nil
}

// clientHosts are the names clients on the host dial: the address the
// tool reaches nodes at and, with --endpoint hostname, localhost.
func clientHosts(s spec.Spec) []string {
	out := []string{s.Net().Admin()}
	if s.Net().Node().Hostname && s.Endpoint == spec.EndpointHostname {
		out = append(out, "localhost")
	}
	return out
}

// certNames are the names node n's certificate is made for: the ones
// clients on the host dial, localhost and 127.0.0.1, the node's hostname
// (its container name), its address on the cluster's network and the
// address it announces.
func certNames(s spec.Spec, n topology.Node) []string {
	out := append([]string{"localhost", "127.0.0.1", n.Name}, clientHosts(s)...)
	if n.IP.IsValid() {
		out = append(out, n.IP.String())
	}
	if a := s.Net().Node().Announce; a != "" {
		out = append(out, a)
	}
	if h, _, err := net.SplitHostPort(s.Net().Peer(n.IP)); err == nil && n.IP.IsValid() {
		out = append(out, h)
	}
	return out
}

// TLSFiles are the files that give node n its TLS material, copied into
// its container before it starts; none without TLS (a nil a).
func TLSFiles(s spec.Spec, a *tlsca.Authority, n topology.Node) ([]docker.File, error) {
	if a == nil {
		return nil, nil
	}
	pair, err := a.NodePair(n.Name, certNames(s, n), time.Now())
	if err != nil {
		return nil, err
	}
	node := func(name string, data []byte) docker.File {
		return docker.File{Path: path.Join(images.TLSDir, name), Mode: 0o600, UID: images.UID, GID: images.GID, Data: data}
	}
	files := []docker.File{node(templates.TLSCAFile, a.CACert), node(templates.TLSCertFile, pair.Cert), node(templates.TLSKeyFile, pair.Key)}
	private := func(name string, data []byte) {
		if len(data) > 0 {
			files = append(files, docker.File{Path: path.Join(PrivateDir, name), Mode: 0o600, Data: data})
		}
	}
	private(caKeyFile, a.CAKey)
	if a.Client != nil {
		private(clientCertFile, a.Client.Cert)
		private(clientKeyFile, a.Client.Key)
	}
	if a.Shared != nil {
		private(sharedCertFile, a.Shared.Cert)
		private(sharedKeyFile, a.Shared.Key)
	}
	return files, nil
}

// ReadTLS reads a TLS cluster's material back from the first node
// container that has it; nil for a cluster without TLS.
func ReadTLS(ctx context.Context, d *docker.Client, s spec.Spec, nodes []docker.Container) (*tlsca.Authority, error) {
	if !s.TLS {
		return nil, nil
	}
	var lastErr error
	for _, n := range nodes {
		a, err := readTLS(ctx, d, n.ID)
		if err == nil {
			a.Days = s.TLSDays // for nodes scale adds (never past the CA's end)
			if a.Days < 1 {
				a.Days = spec.DefaultTLSDays
			}

			return a, nil
		}
		lastErr = err
	}
	return nil, fmt.Errorf("failed to read the TLS certificates from any node: %w", lastErr)
}

func readTLS(ctx context.Context, d *docker.Client, id string) (*tlsca.Authority, error) {
	ca, err := d.ReadFile(ctx, id, path.Join(images.TLSDir, templates.TLSCAFile))
	if err != nil {
		return nil, err
	}
	a := &tlsca.Authority{CACert: ca}
	if a.CAKey, err = optional(ctx, d, id, caKeyFile); err != nil {
		return nil, err
	}
	if a.Client, err = optionalPair(ctx, d, id, clientCertFile, clientKeyFile); err != nil {
		return nil, err
	}
	if a.Shared, err = optionalPair(ctx, d, id, sharedCertFile, sharedKeyFile); err != nil {
		return nil, err
	}
	return a, nil
}

func optional(ctx context.Context, d *docker.Client, id, name string) ([]byte, error) {
	b, err := d.ReadFile(ctx, id, path.Join(PrivateDir, name))
	if docker.IsNotFound(err) {
		return nil, nil
	}
	return b, err
}

func optionalPair(ctx context.Context, d *docker.Client, id, cert, key string) (*tlsca.Pair, error) {
	c, err := optional(ctx, d, id, cert)
	if err != nil || c == nil {
		return nil, err
	}
	k, err := optional(ctx, d, id, key)
	if err != nil {
		return nil, err
	}
	return &tlsca.Pair{Cert: c, Key: k}, nil
}

// Auth is how redis-dock connects to the nodes of a cluster with spec s
// and TLS material a (nil without TLS).
func Auth(s spec.Spec, a *tlsca.Authority) redisx.Auth {
	au := redisx.Auth{User: s.AdminUser(), Password: s.Password}
	if a != nil {
		au.TLS = &redisx.TLS{CA: a.CACert}
		if a.Client != nil {
			au.TLS.Cert, au.TLS.Key = a.Client.Cert, a.Client.Key
		}
	}
	return au
}
