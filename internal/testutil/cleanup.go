package testutil

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/docker"
)

// RemoveOnCleanup removes whatever carries cluster's label when t ends.
// A network the engine miscounts endpoints on (Docker 20.10) is logged,
// not failed: it is the engine's bug, not the test's.
func RemoveOnCleanup(t testing.TB, d *docker.Client, cluster string) {
	t.Cleanup(func() {
		if _, err := d.RemoveCluster(context.Background(), cluster, true); errors.Is(err, docker.ErrStaleEndpoints) {
			t.Logf("cleanup of %s: %v", cluster, err)
		} else if err != nil {
			t.Errorf("cleanup of %s: %v", cluster, err)
		}
	})
}

// Logger returns a verbose logger whose lines go to t.Log.
func Logger(t testing.TB) *cli.Logger { return cli.NewLogger(logWriter{t}, 2, false) }

type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// AssertNothingLeft fails t unless nothing carries cluster's label. The
// one exception is a network Docker 20.10 will not remove although its
// containers are gone (ErrStaleEndpoints): that is logged.
func AssertNothingLeft(t testing.TB, d *docker.Client, cluster string) {
	t.Helper()
	ctx := context.Background()
	left, err := d.Leftovers(ctx, cluster)
	if err == nil && left.Containers == 0 && left.Volumes == 0 && left.Networks > 0 {
		if _, rerr := d.RemoveCluster(ctx, cluster, true); errors.Is(rerr, docker.ErrStaleEndpoints) {
			t.Logf("the engine keeps %s's network: %v", cluster, rerr)
			return
		}
		left, err = d.Leftovers(ctx, cluster)
	}
	if err != nil || left != (docker.Removed{}) {
		t.Fatalf("left %+v of %s (err %v), want nothing", left, cluster, err)
	}
}
