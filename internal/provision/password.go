package provision

import (
	"context"
	"fmt"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/templates"
)

// StackConfigPath is where a node of a compose file or Swarm stack
// writes its final config (`redis-dock node --out`): on its data volume,
// as its root filesystem is read-only.
const StackConfigPath = images.DataDir + "/redis.conf"

// ReadPassword reads the cluster's password back from a node's config
// inside its container (one `up` made, or a compose node's): redis-dock
// keeps it nowhere else.
func ReadPassword(ctx context.Context, d *docker.Client, nodes []docker.Container) (string, error) {
	conf, err := readFromAny(ctx, d, nodes, "the password", ConfigPath, StackConfigPath)
	if err != nil {
		return "", err
	}
	// requirepass, or masterauth: with --no-default-user the password is
	// only redis-dock's admin user's.
	for _, d := range []string{"requirepass", "masterauth"} {
		if args, ok := templates.Directive(conf, d); ok && len(args) == 1 {
			return args[0], nil
		}
	}
	return "", nil
}

// readFromAny reads the first of files that a node container gives, from
// the first that gives one (a node may be gone or stopped half-way); what
// names it in the error.
func readFromAny(ctx context.Context, d *docker.Client, nodes []docker.Container, what string, files ...string) ([]byte, error) {
	var lastErr error
	for _, n := range nodes {
		for _, file := range files {
			b, err := d.ReadFile(ctx, n.ID, file)
			if err == nil {
				return b, nil
			}
			lastErr = err
		}
	}
	return nil, fmt.Errorf("failed to read %s from any node: %w", what, lastErr)
}
