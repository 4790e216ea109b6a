package provision

import (
	"context"
	"fmt"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/templates"
)

// ReadPassword reads the cluster's password back from a node's config
// inside its container: redis-dock keeps it nowhere else.
func ReadPassword(ctx context.Context, d *docker.Client, nodes []docker.Container) (string, error) {
	var lastErr error
	for _, n := range nodes {
		conf, err := d.ReadFile(ctx, n.ID, ConfigPath)
		if err != nil {
			lastErr = err
			continue
		}
		// requirepass, or masterauth: with --no-default-user the
		// password is only redis-dock's admin user's.
		for _, d := range []string{"requirepass", "masterauth"} {
			if args, ok := templates.Directive(conf, d); ok && len(args) == 1 {
				return args[0], nil
			}
		}
		return "", nil
	}
	return "", fmt.Errorf("failed to read the password from any node: %w", lastErr)
}
