package docker_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationRemoveClusterDuringCreate removes a cluster while its six
// containers are still being created and started, as an interrupted or
// failed up does: once the creates are done nothing may be left, and the
// removal must not fail. (The old single pass left containers made after
// its list, and then a network with "active endpoints", in 12 of 16
// rounds.)
func TestIntegrationRemoveClusterDuringCreate(t *testing.T) {
	d := testutil.ParallelDocker(t)
	ctx := context.Background()
	ref := images.DefaultNodeImage()
	if _, err := nodeimage.Ensure(ctx, d, ref, images.Options{}, status.Discard()); err != nil {
		t.Fatal(err)
	}
	for round, delay := range []time.Duration{0, 80 * time.Millisecond, 160 * time.Millisecond, 240 * time.Millisecond} {
		name := testutil.UniqueName("rmrace")
		testutil.RemoveOnCleanup(t, d, name)
		created := createNodes(t, d, ref, name)
		time.Sleep(delay)
		_, err := d.RemoveCluster(ctx, name, true)
		created.Wait()
		if err != nil {
			t.Errorf("round %d (remove after %s): %v", round, delay, err)
		}
		testutil.AssertNothingLeft(t, d, name)
	}
}

// createNodes starts creating six labelled nodes on a network of their own
// and returns at once; Wait waits for the creates.
func createNodes(t *testing.T, d *docker.Client, ref, name string) *sync.WaitGroup {
	ctx := context.Background()
	subnet := testutil.FreeSubnet(t, d)
	labels := map[string]string{docker.LabelCluster: name}
	if _, err := d.CreateNetwork(ctx, name, subnet, labels); err != nil {
		t.Fatal(err)
	}
	port := testutil.FreePortRange(t, 6)
	ip := subnet.Addr().Next().Next()
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		n := docker.NodeSpec{Name: fmt.Sprintf("%s-%d", name, port+i), Image: ref, Labels: labels, Network: name, IP: ip,
			HostIP: "127.0.0.1", Publish: []int{port + i}, Cmd: []string{"redis-server", "--port", strconv.Itoa(port + i), "--save", ""}}
		ip = ip.Next()
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = d.CreateNode(ctx, n, nil) }() // fails when removed first
	}
	return &wg
}
