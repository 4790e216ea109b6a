package testutil

import (
	"context"
	"testing"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
)

// SecondImage builds images.Repo, for upgrade tests, under a tag of this
// run's own from the same inputs as the clusters' image plus one label,
// checks its ID differs, and removes it when the test ends (after the
// clusters, which use it).
func SecondImage(t *testing.T, d *docker.Client) string {
	t.Helper()
	ctx := context.Background()
	tag := UniqueName("upgrade") // another run on the same engine has its own
	ref := images.Repo + ":" + tag
	if _, err := nodeimage.Build(ctx, d, images.Options{Tag: tag, OnlyTag: true,
		Labels: map[string]string{"test.redis-dock.build": "second"}}, Logger(t)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.RemoveImage(context.Background(), ref); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	a, err := d.ImageInspect(ctx, images.DefaultNodeImage())
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.ImageInspect(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == b.ID {
		t.Fatalf("%s has the ID of %s (%s): an upgrade between them proves nothing", ref, images.DefaultNodeImage(), a.ID)
	}
	return ref
}
