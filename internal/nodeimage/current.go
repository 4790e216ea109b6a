package nodeimage

import (
	"context"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/status"
)

// refresh rebuilds the present node image ref when the node binary it
// carries (its LabelNodeBinary) is not the one a build would use now.
// When no node binary is at hand to compare with, the image is kept.
func refresh(ctx context.Context, api imageAPI, ref, tag string, opts images.Options, log *status.Logger) (bool, error) {
	info, err := api.ImageInspect(ctx, ref)
	if err != nil {
		return false, err
	}
	if opts.RedisBinary == "" && opts.Base == "" && info.Labels[images.LabelBase] != "" {
		opts.Base = info.Labels[images.LabelBase] // rebuild on the same base
	}
	opts, cleanup, err := withDefaults(ctx, opts, log)
	if err != nil {
		log.V(1, " • Keeping %s: cannot tell whether its node binary is current (%v)", ref, err)
		verified[ref] = true
		return false, nil
	}
	defer cleanup()
	want, err := images.NodeBinaryDigest(opts.NodeBinary)
	if err != nil {
		return false, err
	}
	if info.Labels[images.LabelNodeBinary] == want {
		verified[ref] = true
		return false, nil
	}
	unlock, err := lockBuilds(ctx)
	if err != nil {
		return false, err
	}
	defer unlock()
	if info, err := api.ImageInspect(ctx, ref); err == nil && info.Labels[images.LabelNodeBinary] == want {
		verified[ref] = true
		return false, nil // another process rebuilt it meanwhile
	}
	if err := buildTag(ctx, api, ref, tag, opts, log, "its node binary is not "+opts.NodeBinary); err != nil {
		log.Warnf("%s carries an older node binary and was kept: %v", ref, err)
		verified[ref] = true
		return false, nil
	}
	verified[ref] = true
	return true, nil
}
