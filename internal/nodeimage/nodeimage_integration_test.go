package nodeimage_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationEnsure ensures the default node image (building it when
// missing), then finds it present, and refuses a missing foreign image.
func TestIntegrationEnsure(t *testing.T) {
	c := testutil.Docker(t)
	if _, err := os.Stat("/usr/bin/redis-server"); err != nil {
		t.Skip("/usr/bin/redis-server not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	node := testutil.NodeBinary(ctx, t)
	opts := images.Options{RedisBinary: "/usr/bin/redis-server", NodeBinary: node}
	if _, err := nodeimage.Ensure(ctx, c, images.DefaultImage, opts, status.Discard()); err != nil {
		t.Fatal(err)
	}
	built, err := nodeimage.Ensure(ctx, c, images.DefaultImage, opts, status.Discard())
	if err != nil || built {
		t.Errorf("second Ensure: built %v, err %v; want present", built, err)
	}
	_, err = nodeimage.Ensure(ctx, c, "redis-dock-test/absent:none", opts, status.Discard())
	if err == nil || !strings.Contains(err.Error(), "--image") {
		t.Errorf("absent image: err = %v, want one naming --image", err)
	}
}
