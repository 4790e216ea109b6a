package cluster

import (
	"context"
	"fmt"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
)

// Password returns the password of a named cluster.
func Password(ctx context.Context, name string, o Options) (string, error) {
	nodes, err := o.Docker.List(ctx, name)
	if err != nil {
		return "", err
	}
	if len(nodes) == 0 {
		return "", fmt.Errorf("--name %s: no such cluster (see `redis-dock list`)", name)
	}
	return provision.ReadPassword(ctx, o.Docker, docker.Nodes(nodes))
}
