package sentinel

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationSentinelFailures: a busy port is refused before anything
// is made; a failed up removes what it made, unless Retain.
func TestIntegrationSentinelFailures(t *testing.T) {
	d := testutil.ParallelDocker(t)
	ctx := context.Background()
	t.Run("busy port", func(t *testing.T) {
		s, o := newSpec(t, d, "sentinel-busy", nil)
		l, err := net.Listen("tcp", cluster.AdminAddr(s, s.Port+s.Nodes()-1)) // the last sentinel's port
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		_, err = Up(ctx, s, o)
		if !errors.Is(err, provision.ErrPortInUse) || !strings.Contains(err.Error(), "--port") {
			t.Fatalf("Up = %v, want an error naming --port", err)
		}
		checkLeftovers(t, d, s.Name, docker.Removed{})
	})
	for _, retain := range []bool{false, true} {
		name := map[bool]string{false: "timeout cleans up", true: "timeout with retain"}[retain]
		t.Run(name, func(t *testing.T) {
			s, o := newSpec(t, d, "sentinel-wait", func(s *spec.Spec) { s.Replicas, s.Wait = 1, 300*time.Millisecond })
			o.Retain = retain
			_, err := Up(ctx, s, o)
			if err == nil || !strings.Contains(err.Error(), "--wait") {
				t.Fatalf("Up = %v, want an error naming --wait", err)
			}
			if !retain {
				checkLeftovers(t, d, s.Name, docker.Removed{})
				return
			}
			// Whether the sentinels were started depends on where the
			// 300ms ran out; the data nodes, network and volumes stay:
			// a data and a config volume per data node, a config volume
			// per sentinel started (one more when the time ran out
			// between a sentinel's volume and its container).
			left, err := d.Leftovers(context.Background(), s.Name)
			data := 1 + s.Replicas
			if err != nil || left.Containers < data || left.Networks != 1 ||
				left.Volumes < 2*data || left.Volumes > 2*data+(left.Containers-data)+1 {
				t.Fatalf("retained %+v (err %v), want the data nodes, their network and volumes", left, err)
			}
		})
	}
}

func checkLeftovers(t *testing.T, d *docker.Client, name string, want docker.Removed) {
	t.Helper()
	if want == (docker.Removed{}) {
		testutil.AssertNothingLeft(t, d, name)
		return
	}
	left, err := d.Leftovers(context.Background(), name)
	if err != nil || left != want {
		t.Fatalf("left %+v (err %v), want %+v", left, err, want)
	}
}
