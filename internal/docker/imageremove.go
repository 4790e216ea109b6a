package docker

import (
	"context"
	"fmt"

	"github.com/docker/docker/api/types/image"
)

// RemoveImage removes a local image tag (and the image when no other tag
// holds it); a missing tag is not an error.
func (c *Client) RemoveImage(ctx context.Context, ref string) error {
	_, err := c.api.ImageRemove(ctx, ref, image.RemoveOptions{PruneChildren: true})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("failed to remove image %s: %w", ref, err)
	}
	return nil
}
