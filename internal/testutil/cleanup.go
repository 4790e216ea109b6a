package testutil

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
)

// RemoveOnCleanup removes whatever carries cluster's label when t ends,
// and fails t when that does not work. The one thing it logs instead is
// the Docker 20.10 bug seen under load after a container was killed: the
// engine refuses to remove the network ("active endpoints") although no
// container of the cluster is left; containers and volumes must be gone.
// Tests that judge removal itself use AssertNothingLeft, which never
// excuses anything.
func RemoveOnCleanup(t testing.TB, d *docker.Client, cluster string) {
	t.Cleanup(func() {
		ctx := context.Background()
		_, err := d.RemoveCluster(ctx, cluster, true)
		if errors.Is(err, docker.ErrStaleEndpoints) {
			if left, lerr := d.Leftovers(ctx, cluster); lerr == nil && left.Containers == 0 && left.Volumes == 0 {
				t.Logf("cleanup of %s: %v", cluster, err)
				return
			}
		}
		if err != nil {
			t.Errorf("cleanup of %s: %v", cluster, err)
		}
	})
}

// Logger returns a verbose logger whose lines go to t.Log.
func Logger(t testing.TB) *status.Logger { return status.NewLogger(logWriter{t}, 2, false) }

type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// AssertNothingLeft fails t unless nothing carries cluster's label: no
// container, network or volume, and on a swarm manager no service, config
// or secret. It only looks: a leak is the product's to fix, so removing
// it here would hide it.
func AssertNothingLeft(t testing.TB, d *docker.Client, cluster string) {
	t.Helper()
	ctx := context.Background()
	left, err := d.Leftovers(ctx, cluster)
	if err != nil {
		t.Fatalf("listing what is left of %s: %v", cluster, err)
	}
	stack, err := d.StackLeftovers(ctx, cluster)
	if err != nil {
		t.Fatalf("listing the swarm objects left of %s: %v", cluster, err)
	}
	if left != (docker.Removed{}) || stack != (docker.StackRemoved{}) {
		t.Fatalf("left %+v and %+v of %s, want nothing", left, stack, cluster)
	}
}
