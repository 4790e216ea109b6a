package cluster

import (
	"context"
	"encoding/json"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// SpecPath is where `scale` keeps the cluster's current spec in every node
// container.
//
// Labels cannot change on an existing container, so the redis-dock.spec
// label keeps the spec each container was created with. A scaled cluster
// is described by this file instead (same JSON as the label, no secrets):
// `scale` writes it into every container once the cluster has its new
// shape, and currentSpec prefers it over the label. Containers that
// `scale` creates carry the new spec in their label as well. So `up` with
// the scaled spec finds the same cluster, and `up` with the old one is
// told that the size differs. Only the size (masters, replicas) ever
// differs between the file and the label.
const SpecPath = images.ConfigDir + "/redis-dock.json"

// currentSpec is the cluster's spec: the first spec label found,
// overridden by the spec file that `scale` wrote in its nodes, when there
// is one.
func currentSpec(ctx context.Context, d *docker.Client, cts []docker.Container) (spec.Spec, bool) {
	s, ok := provision.SpecOf(cts)
	if !ok {
		return s, false
	}
	nodes := docker.Nodes(cts)
	if len(nodes) == 0 {
		return s, true
	}
	b, err := d.ReadFile(ctx, nodes[0].ID, SpecPath)
	if err != nil {
		return s, true // never scaled: the label is the spec
	}
	var scaled spec.Spec
	if json.Unmarshal(b, &scaled) == nil && scaled.Masters > 0 {
		s.Masters, s.Replicas = scaled.Masters, scaled.Replicas
	}
	return s, true
}

// writeSpecFile records s as the current spec in every container.
func writeSpecFile(ctx context.Context, d *docker.Client, cts []docker.Container, s spec.Spec) error {
	f := docker.File{Path: SpecPath, Mode: 0o644, UID: images.UID, GID: images.GID, Data: []byte(provision.SpecLabel(s))}
	g, gctx := errgroup.WithContext(ctx)
	for _, c := range cts {
		g.Go(func() error { return d.WriteFile(gctx, c.ID, f) })
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("failed to record the new spec: %w", err)
	}
	return nil
}
