package docker

import (
	"context"
	"fmt"
)

// InspectRaw returns the engine's raw inspect JSON of a container, for
// checks that nothing secret leaks into it.
func (c *Client) InspectRaw(ctx context.Context, id string) ([]byte, error) {
	_, raw, err := c.api.ContainerInspectWithRaw(ctx, id, false)
	if err != nil {
		return nil, fmt.Errorf("failed to inspect container %s: %w", id, err)
	}
	return raw, nil
}
