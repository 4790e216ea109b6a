package provision

import (
	"context"
	"encoding/json"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// SpecPath is where `scale` and `upgrade` keep the current spec in every
// node container (cluster and sentinel group).
//
// Labels cannot change on an existing container, so the redis-dock.spec
// label keeps the spec each container was created with. A scaled cluster
// is described by this file instead (same JSON as the label, no secrets):
// `scale` writes it into every container once the cluster has its new
// shape, and CurrentSpec prefers it over the label. Containers that
// `scale` creates carry the new spec in their label as well. So `up` with
// the scaled spec finds the same cluster, and `up` with the old one is
// told that the size differs. `upgrade` writes it too (the image and the
// node settings it set, at runtime or in new containers). Only the size,
// the image and the node settings (node-timeout, appendonly, config) ever
// differ between the file and the label.
const SpecPath = images.ConfigDir + "/redis-dock.json"

// CurrentSpec is the spec of a cluster or group: the first spec label found,
// overridden by the spec file that `scale` wrote in its nodes, when there
// is one.
func CurrentSpec(ctx context.Context, d *docker.Client, cts []docker.Container) (spec.Spec, bool) {
	s, ok := SpecOf(cts)
	if !ok {
		return s, false
	}
	nodes := docker.Nodes(cts)
	if len(nodes) == 0 {
		return s, true
	}
	if f, ok := ReadSpecFile(ctx, d, nodes[0]); ok {
		s.Masters, s.Replicas = f.Masters, f.Replicas
		s.Image, s.NodeTimeout, s.AppendOnly, s.Config = f.Image, f.NodeTimeout, f.AppendOnly, f.Config
	}
	return s, true
}

// ReadSpecFile reads the spec file of one container; ok is false when it
// has none (never scaled nor upgraded: its label is its spec).
func ReadSpecFile(ctx context.Context, d *docker.Client, c docker.Container) (spec.Spec, bool) {
	var f spec.Spec
	b, err := d.ReadFile(ctx, c.ID, SpecPath)
	if err != nil || json.Unmarshal(b, &f) != nil || f.Name == "" {
		return f, false
	}
	return f, true
}

// WriteSpecFile records s as the current spec in every container.
func WriteSpecFile(ctx context.Context, d *docker.Client, cts []docker.Container, s spec.Spec) error {
	f := docker.File{Path: SpecPath, Mode: 0o644, UID: images.UID, GID: images.GID, Data: []byte(SpecLabel(s))}
	g, gctx := errgroup.WithContext(ctx)
	for _, c := range cts {
		g.Go(func() error { return d.WriteFile(gctx, c.ID, f) })
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("failed to record the new spec: %w", err)
	}
	return nil
}
