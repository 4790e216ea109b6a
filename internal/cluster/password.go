package cluster

import (
	"context"
	"fmt"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/tlsca"
)

// Password returns the password of a named cluster.
func Password(ctx context.Context, name string, o Options) (string, error) {
	nodes, err := provision.Find(ctx, o.Docker, name)
	if err != nil {
		return "", err
	}
	return provision.ReadPassword(ctx, o.Docker, docker.Nodes(nodes))
}

// TLS returns a named cluster's TLS material, read from its nodes: the
// CA clients trust, and the client certificate when the nodes want one.
func TLS(ctx context.Context, name string, o Options) (*tlsca.Authority, error) {
	all, err := provision.Find(ctx, o.Docker, name)
	if err != nil {
		return nil, err
	}
	s, ok := provision.SpecOf(all)
	if !ok {
		return nil, fmt.Errorf("cluster %q carries no readable spec label", name)
	}
	if !s.TLS {
		return nil, fmt.Errorf("--name %s: the cluster does not use TLS (it was made without --tls)", name)
	}
	return provision.ReadTLS(ctx, o.Docker, s, docker.Nodes(all))
}
