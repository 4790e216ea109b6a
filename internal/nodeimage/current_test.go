package nodeimage

import (
	"context"
	"os"
	"testing"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
)

// TestEnsureRebuildsStaleNodeImage checks that a present node image is
// rebuilt only when it carries another node binary than the current one,
// and that the check is done once per process and reference.
func TestEnsureRebuildsStaleNodeImage(t *testing.T) {
	if _, err := os.Stat(hostRedis); err != nil {
		t.Skipf("%s not installed", hostRedis)
	}
	node := staticELF(t)
	want, err := images.NodeBinaryDigest(node)
	if err != nil {
		t.Fatal(err)
	}
	opts := images.Options{RedisBinary: hostRedis, NodeBinary: node}
	tests := []struct {
		name   string
		labels map[string]string
		built  bool
	}{
		{"current", map[string]string{images.LabelNodeBinary: want}, false},
		{"other binary", map[string]string{images.LabelNodeBinary: "sha256:old"}, true},
		{"unlabelled", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clear(verified)
			f := newFake()
			f.present[images.DefaultImage] = docker.ImageInfo{ID: "sha256:old", Labels: tt.labels}
			built, err := ensure(context.Background(), f, images.DefaultImage, opts, status.Discard())
			if err != nil || built != tt.built {
				t.Fatalf("ensure: built %v, err %v; want built %v", built, err, tt.built)
			}
			if tt.built && f.present[images.DefaultImage].Labels[images.LabelNodeBinary] != want {
				t.Errorf("rebuilt image labels %v, want %s=%s", f.present[images.DefaultImage].Labels, images.LabelNodeBinary, want)
			}
			f.present[images.DefaultImage] = docker.ImageInfo{ID: "sha256:changed"}
			if built, err := ensure(context.Background(), f, images.DefaultImage, opts, status.Discard()); err != nil || built {
				t.Errorf("second ensure: built %v, err %v; want the first check remembered", built, err)
			}
		})
	}
}

// TestEnsureKeepsImageWithoutNodeBinary keeps a present image when there
// is no node binary to compare it with.
func TestEnsureKeepsImageWithoutNodeBinary(t *testing.T) {
	clear(verified)
	t.Setenv("PATH", t.TempDir()) // no redis-server, no go
	f := newFake(images.DefaultImage)
	built, err := ensure(context.Background(), f, images.DefaultImage, images.Options{}, status.Discard())
	if err != nil || built || len(f.built) != 0 {
		t.Fatalf("built %v (%d builds), err %v; want the image kept", built, len(f.built), err)
	}
}
