package testutil

import (
	"context"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// TestIntegrationAssertNothingLeftOnlyLooks: a labelled network left behind
// fails AssertNothingLeft, and is still there afterwards (the check does
// not remove what it finds).
func TestIntegrationAssertNothingLeftOnlyLooks(t *testing.T) {
	t.Parallel()
	d := Docker(t)
	ctx := context.Background()
	name := UniqueName("leak")
	subnet := FreeSubnet(t, d)
	RemoveOnCleanup(t, d, name)
	if _, err := d.CreateNetwork(ctx, name, subnet, map[string]string{docker.LabelCluster: name}); err != nil {
		t.Fatal(err)
	}
	if f := run(t, func(tb testing.TB) { AssertNothingLeft(tb, d, name) }); !f.failed {
		t.Fatal("AssertNothingLeft passed with a labelled network left")
	}
	if left, err := d.Leftovers(ctx, name); err != nil || left != (docker.Removed{Networks: 1}) {
		t.Fatalf("after AssertNothingLeft: %+v (err %v), want the leaked network still there", left, err)
	}
	if f := run(t, func(tb testing.TB) { AssertNothingLeft(tb, d, UniqueName("none")) }); f.failed {
		t.Fatalf("AssertNothingLeft failed for a name nothing carries: %s", f.msg)
	}
}

// TestIntegrationAssertNothingLeftSeesSwarmObjects: on a swarm manager, a
// labelled config left behind fails AssertNothingLeft too.
func TestIntegrationAssertNothingLeftSeesSwarmObjects(t *testing.T) {
	t.Parallel()
	d := Docker(t)
	ctx := context.Background()
	if st, err := d.SwarmState(ctx); err != nil || !st.Manager {
		t.Skipf("the engine is no swarm manager (%v)", err)
	}
	name := UniqueName("leak")
	t.Cleanup(func() {
		if _, err := d.RemoveStack(context.Background(), name, true); err != nil {
			t.Errorf("cleanup of %s: %v", name, err)
		}
	})
	if _, err := d.CreateConfig(ctx, name+"-conf", []byte("x"), map[string]string{docker.LabelCluster: name}); err != nil {
		t.Fatal(err)
	}
	if f := run(t, func(tb testing.TB) { AssertNothingLeft(tb, d, name) }); !f.failed {
		t.Fatal("AssertNothingLeft passed with a labelled swarm config left")
	}
}
