package cluster

import (
	"context"
	"fmt"
	"strings"

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

// UserPassword returns the password of ACL user user (--user) of a
// named cluster, read from its nodes.
func UserPassword(ctx context.Context, name, user string, o Options) (string, error) {
	all, err := o.Docker.List(ctx, name)
	if err != nil {
		return "", err
	}
	if len(all) == 0 {
		return "", fmt.Errorf("--name %s: no such cluster (see `redis-dock list`)", name)
	}
	s, ok := provision.SpecOf(all)
	if !ok {
		return "", fmt.Errorf("cluster %q carries no readable spec label", name)
	}
	var names []string
	for _, u := range s.ParsedUsers() {
		names = append(names, u.Name)
	}
	if user == s.AdminUser() && user != "" {
		return provision.ReadPassword(ctx, o.Docker, docker.Nodes(all))
	}
	if len(names) == 0 {
		return "", fmt.Errorf("--user %s: cluster %s has no ACL users (it was made without --user)", user, name)
	}
	if s.UserPasswords, err = provision.ReadUserPasswords(ctx, o.Docker, s, docker.Nodes(all)); err != nil {
		return "", err
	}
	pw, ok := s.UserPassword(user)
	if !ok {
		return "", fmt.Errorf("--user %s: cluster %s has no such user; its users are %s", user, name, strings.Join(names, ", "))
	}
	return pw, nil
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
