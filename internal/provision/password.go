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
	conf, err := readFromAny(ctx, d, nodes, ConfigPath, "the password")
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

// readFromAny reads file from the first node container that gives it
// (a node may be gone or stopped half-way); what names it in the error.
func readFromAny(ctx context.Context, d *docker.Client, nodes []docker.Container, file, what string) ([]byte, error) {
	var lastErr error
	for _, n := range nodes {
		b, err := d.ReadFile(ctx, n.ID, file)
		if err == nil {
			return b, nil
		}
		lastErr = err
	}
	return nil, fmt.Errorf("failed to read %s from any node: %w", what, lastErr)
}
