package nodeimage

import (
	"context"
	"fmt"
	"strings"

	"github.com/redis-dock/redis-dock/images"
)

// newContext makes the build context. A base image must be present (it
// cannot be pulled); its Redis version comes from its redis-dock label or
// its REDIS_VERSION variable (official images) unless opts gives it. size
// estimates the image: the files added plus the base.
func newContext(ctx context.Context, api imageAPI, opts images.Options) (bc *images.BuildContext, size int64, err error) {
	if opts.Base != "" {
		info, err := api.ImageInspect(ctx, opts.Base)
		if err != nil {
			return nil, 0, fmt.Errorf("--base %s: not present locally and nothing can be pulled: %w", opts.Base, err)
		}
		size = info.Size
		if opts.RedisVersion == "" {
			opts.RedisVersion = baseVersion(info.Labels, info.Env)
		}
	}
	bc, err = images.NewContext(opts)
	if err != nil {
		return nil, 0, fmt.Errorf("failed to prepare the node image: %w", err)
	}
	return bc, size + bc.ContentSize, nil
}

// baseVersion is the Redis version a base image declares, or "".
func baseVersion(labels map[string]string, env []string) string {
	if v := labels[images.LabelRedisVersion]; v != "" {
		return v
	}
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "REDIS_VERSION="); ok && isVersion(v) {
			return v
		}
	}
	return ""
}

func isVersion(v string) bool {
	return v != "" && strings.Trim(v, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-") == ""
}
