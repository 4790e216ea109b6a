// Package nodeimage makes sure the node image a cluster runs exists: it
// builds redis-dock/node images from a host redis-server (nothing can be
// pulled) and refuses other missing images with a hint.
package nodeimage

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
)

// imageAPI is the part of the Docker client this package uses.
type imageAPI interface {
	ImageExists(ctx context.Context, ref string) (bool, error)
	ImageInspect(ctx context.Context, ref string) (docker.ImageInfo, error)
	BuildImage(ctx context.Context, bc *images.BuildContext, log *status.Logger) error
}

// mu serializes Ensure and Build in one process; lockBuilds does across
// processes. Were two builds to overlap anyway, they would be harmless:
// the same inputs give the same tar and so the same image and tags.
// verified holds the node images found current in this process, so
// later Ensure calls cost one inspect.
var (
	mu       sync.Mutex
	verified = map[string]bool{}
)

// Ensure makes sure ref exists locally, building it when it is a missing
// redis-dock/node tag, or rebuilding it when it carries another node
// binary than the one it would be built with now (so an old image never
// lacks newer in-image commands). built says whether it had to be built.
func Ensure(ctx context.Context, c *docker.Client, ref string, opts images.Options, log *status.Logger) (built bool, err error) {
	return ensure(ctx, c, ref, opts, log)
}

// Build builds a node image from opts (defaults as in Ensure) and returns
// what was built; the command `redis-dock image build` uses it.
func Build(ctx context.Context, c *docker.Client, opts images.Options, log *status.Logger) (*images.BuildContext, error) {
	return build(ctx, c, opts, log)
}

func ensure(ctx context.Context, api imageAPI, ref string, opts images.Options, log *status.Logger) (bool, error) {
	mu.Lock()
	defer mu.Unlock()
	exists, err := api.ImageExists(ctx, ref)
	if err != nil {
		return false, err
	}
	tag, ok := nodeTag(ref)
	if exists && (!ok || verified[ref]) {
		return false, nil
	}
	if !ok {
		return false, fmt.Errorf("image %q (--image) is not present locally and nothing can be pulled: "+
			"use a redis-dock/node image, built with 'redis-dock image build'", ref)
	}
	if exists {
		return refresh(ctx, api, ref, tag, opts, log)
	}
	unlock, err := lockBuilds(ctx)
	if err != nil {
		return false, err
	}
	defer unlock()
	if ok, err := api.ImageExists(ctx, ref); err != nil || ok {
		return false, err // another process built it meanwhile
	}
	opts, cleanup, err := withDefaults(ctx, opts, log)
	if err != nil {
		return false, err
	}
	defer cleanup()
	if err := buildTag(ctx, api, ref, tag, opts, log, "not found locally"); err != nil {
		return false, err
	}
	verified[ref] = true
	return true, nil
}

// buildTag builds the node image ref, whose tag is tag, from opts with
// defaults filled in; why says why it is built.
func buildTag(ctx context.Context, api imageAPI, ref, tag string, opts images.Options, log *status.Logger, why string) error {
	bc, _, err := newContext(ctx, api, opts)
	if err != nil {
		return err
	}
	if !hasTag(bc.Tags, tag) {
		return fmt.Errorf("image %q (--image) is not present locally, and %s would give %s: "+
			"build it with 'redis-dock image build --redis-binary' of that version", ref, bc.Source, strings.Join(bc.Tags, ", "))
	}
	s := log.Start("Building node image %s from %s (%s)", ref, bc.Source, why)
	defer s.End(false)
	if err := api.BuildImage(ctx, bc, log); err != nil {
		return err
	}
	s.End(true)
	return nil
}

func build(ctx context.Context, api imageAPI, opts images.Options, log *status.Logger) (*images.BuildContext, error) {
	mu.Lock()
	defer mu.Unlock()
	unlock, err := lockBuilds(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	opts, cleanup, err := withDefaults(ctx, opts, log)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	bc, size, err := newContext(ctx, api, opts)
	if err != nil {
		return nil, err
	}
	s := log.Start("Building node image %s (%.1f MB)", bc.Tags[0], float64(size)/1e6)
	defer s.End(false)
	if err := api.BuildImage(ctx, bc, log); err != nil {
		return nil, err
	}
	s.End(true)
	return bc, nil
}

// nodeTag returns the tag of a redis-dock/node reference.
func nodeTag(ref string) (string, bool) {
	if ref == images.Repo {
		return "latest", true
	}
	tag, ok := strings.CutPrefix(ref, images.Repo+":")
	if !ok || tag == "" {
		return "", false
	}
	return tag, true
}

func hasTag(tags []string, tag string) bool {
	for _, t := range tags {
		if t == images.Repo+":"+tag {
			return true
		}
	}
	return false
}

// withDefaults fills in redis-server from PATH and the node binary (found,
// or built from the module source into a temporary dir that cleanup removes).
func withDefaults(ctx context.Context, opts images.Options, log *status.Logger) (images.Options, func(), error) {
	cleanup := func() {}
	if opts.RedisBinary == "" && opts.Base == "" {
		p, err := exec.LookPath("redis-server")
		if err != nil {
			return opts, cleanup, fmt.Errorf("no redis-server on PATH to build the node image from: install Redis or pass --redis-binary or --base")
		}
		opts.RedisBinary = p
	}
	if opts.NodeBinary != "" {
		return opts, cleanup, nil
	}
	p, err := images.FindNodeBinary()
	if err == nil {
		opts.NodeBinary = p
		return opts, cleanup, nil
	}
	return buildNode(ctx, opts, err, log)
}

// buildNode builds the node binary when a Go toolchain and this module's
// source are at hand; otherwise it returns notFound.
func buildNode(ctx context.Context, opts images.Options, notFound error, log *status.Logger) (images.Options, func(), error) {
	cleanup := func() {}
	wd, err := os.Getwd()
	if err != nil {
		return opts, cleanup, notFound
	}
	root, err := images.FindModuleRoot(wd)
	if _, goErr := exec.LookPath("go"); err != nil || goErr != nil {
		return opts, cleanup, notFound
	}
	dir, err := os.MkdirTemp("", "redis-dock-node-")
	if err != nil {
		return opts, cleanup, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	log.V(1, "Building the node binary from %s", root)
	opts.NodeBinary = dir + "/" + images.NodeBinaryName
	if err := images.BuildNodeBinary(ctx, root, opts.NodeBinary); err != nil {
		cleanup()
		return opts, func() {}, err
	}
	return opts, cleanup, nil
}
