package docker

import (
	"context"
	"fmt"
)

// TagImage gives the local image src another reference dst.
func (c *Client) TagImage(ctx context.Context, src, dst string) error {
	if err := c.api.ImageTag(ctx, src, dst); err != nil {
		return fmt.Errorf("failed to tag %s as %s: %w", src, dst, err)
	}
	return nil
}
