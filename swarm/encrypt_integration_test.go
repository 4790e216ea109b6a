package swarm

import (
	"context"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationSwarmEncrypted: `swarm up --encrypted` against the
// local engine, on this machine's kernel (TestIntegrationLabHostLoss
// runs the same against its lab's manager). Where the kernel has no ESP,
// up refuses naming the flag and the reason before it creates anything;
// where it has, the overlay carries the encrypted option.
func TestIntegrationSwarmEncrypted(t *testing.T) {
	d := needSwarm(t)
	image := testutil.PinNodeImage(t, d)
	checkEncryptedUp(t, d, image)
}

func checkEncryptedUp(t *testing.T, d *docker.Client, image string) {
	ip := LocalIPsec()
	t.Logf("this kernel (%s): %+v", KernelRelease(), ip)
	ctx := context.Background()
	s := spec.Default()
	s.Name, s.NodeTimeout, s.Image, s.Encrypted = testutil.UniqueName("swenc"), 2000, image, true
	t.Cleanup(func() { down(t, d, s.Name) })
	_, err := Up(ctx, s, Options{Docker: d, Logger: testLogger(t)})
	t.Logf("up --encrypted: %v", err)
	if ip.Known && !ip.OK {
		if err == nil || !strings.Contains(err.Error(), "--encrypted") || !strings.Contains(err.Error(), ip.Reason) {
			t.Fatalf("up --encrypted on a kernel without ESP: err = %v, want one naming --encrypted and %q", err, ip.Reason)
		}
		if svcs, lerr := d.Services(ctx, s.Name); lerr != nil || len(svcs) != 0 {
			t.Errorf("the refused up left %d services (%v)", len(svcs), lerr)
		}
		if _, nerr := d.ClusterOverlay(ctx, s.Name); nerr == nil {
			t.Error("the refused up left an overlay network")
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	net, err := d.ClusterOverlay(ctx, s.Name)
	if err != nil || !net.Encrypted {
		t.Fatalf("overlay %+v, %v: want the encrypted option", net, err)
	}
}
