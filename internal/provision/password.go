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
		args, ok := templates.Directive(conf, "requirepass")
		if !ok || len(args) != 1 {
			return "", nil
		}
		return args[0], nil
	}
	return "", fmt.Errorf("failed to read the password from any node: %w", lastErr)
}
