package testutil

import (
	"context"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/status"
)

// PinNodeImage makes sure the node image is current and gives it a tag of
// the test's own, removed when the test ends: a Swarm task or compose
// container the test (re)creates later then runs this image even if
// another run retags redis-dock/node:latest meanwhile.
func PinNodeImage(t testing.TB, d *docker.Client) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ref := images.DefaultNodeImage()
	if _, err := nodeimage.Ensure(ctx, d, ref, images.Options{}, status.Discard()); err != nil {
		t.Fatal(err)
	}
	info, err := d.ImageInspect(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	tag := images.Repo + ":" + UniqueName("pin")
	if err := d.TagImage(ctx, info.ID, tag); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var err error
		for try := 0; try < 30; try++ { // containers of the test may still be going
			if err = d.RemoveImage(context.Background(), tag); err == nil {
				return
			}
			time.Sleep(time.Second)
		}
		t.Logf("could not remove the test's image tag %s: %v", tag, err)
	})
	return tag
}
