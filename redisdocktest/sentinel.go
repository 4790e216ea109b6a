//go:build !nodeimage

package redisdocktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock"
)

// StartSentinel brings up a sentinel group for test t and removes it when
// the test ends. From o it uses Name, Replicas (default 2), Password,
// Image, NodeTimeout (as down-after-milliseconds; default 1s), Wait and
// Log; three sentinels watch the master.
func StartSentinel(t testing.TB, o Options) *redisdock.SentinelGroup {
	t.Helper()
	s := o.spec(t)
	s.Mode, s.Masters, s.Sentinels = "sentinel", 1, 3
	if s.Replicas = o.Replicas; s.Replicas == 0 {
		s.Replicas = 2
	}
	s.DownAfter = 1000
	if o.NodeTimeout > 0 {
		s.DownAfter = int(o.NodeTimeout / time.Millisecond)
	}
	var g *redisdock.SentinelGroup
	var err error
	for try := 0; try < 4; try++ {
		if o.Port == 0 {
			if s.Port, err = redisdock.FreePorts(s.Nodes()); err != nil {
				t.Fatalf("redisdocktest.StartSentinel: %v", err)
			}
		}
		if g, err = redisdock.NewSentinelGroup(context.Background(), s, o.log()); err == nil || o.Port != 0 || !errors.Is(err, redisdock.ErrPortInUse) {
			break
		}
	}
	if err != nil {
		t.Fatalf("redisdocktest.StartSentinel: %v", err)
	}
	t.Cleanup(func() {
		if err := g.Down(context.Background()); err != nil {
			t.Errorf("redisdocktest: removing sentinel group %s: %v", g.Name(), err)
		}
	})
	return g
}
