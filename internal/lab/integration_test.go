package lab

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationLabLifecycle: a 2-host lab comes up with a swarm of two
// ready nodes, the node image in both engines, and `docker` inside each
// host; a second up of the name is refused; a host is named by its short
// name, an unknown one gets the list; a stopped host starts with its
// disk (the node image) and rejoins; down removes everything and can run
// twice.
func TestIntegrationLabLifecycle(t *testing.T) {
	d := testutil.Docker(t)
	image := testutil.PinNodeImage(t, d)
	ctx := context.Background()
	c := Config{Name: testutil.UniqueName("lab"), Hosts: 2, Managers: 1, Image: image}
	o := Options{Docker: d, Logger: testutil.Logger(t)}
	t.Cleanup(func() { down(t, d, c.Name) })
	res, err := Up(ctx, c, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Up(ctx, c, o); err == nil || !strings.Contains(err.Error(), "lab down --name "+c.Name) {
		t.Errorf("second up: %v, want one naming lab down", err)
	}
	if err := Stop(ctx, c.Name, "h7", 0, o); err == nil || !strings.Contains(err.Error(), HostName(c.Name, 2)) {
		t.Errorf("stop of an unknown host: %v, want the list of hosts", err)
	}
	if err := Stop(ctx, c.Name, "h2", 0, o); err != nil {
		t.Fatal(err)
	}
	if err := Start(ctx, c.Name, "h2", o); err != nil {
		t.Fatal(err)
	}
	inner, err := docker.NewAt(res.Hosts[1].DockerHost)
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	if ok, err := inner.ImageExists(ctx, image); !ok || err != nil {
		t.Errorf("the node image is not in the restarted host's engine: %v", err)
	}
	mgr, err := docker.NewAt(res.Manager())
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	if err := waitReady(ctx, mgr, 2); err != nil {
		t.Errorf("after the restart: %v", err)
	}
}

// TestIntegrationLabUpFailsCleanly: when a host cannot be created (its
// name is taken), up fails and removes the hosts, volumes and network it
// made.
func TestIntegrationLabUpFailsCleanly(t *testing.T) {
	d := testutil.Docker(t)
	image := testutil.PinNodeImage(t, d)
	ctx := context.Background()
	c := Config{Name: testutil.UniqueName("lab"), Hosts: 3, Managers: 1, Image: image}
	blocker := testutil.UniqueName("blocker")
	testutil.RemoveOnCleanup(t, d, blocker)
	_, _ = d.CreateNode(ctx, docker.NodeSpec{Name: HostName(c.Name, 2), Image: image, Network: "none",
		Labels: map[string]string{docker.LabelCluster: blocker}, Cmd: []string{"true"}}, nil)
	t.Cleanup(func() { down(t, d, c.Name) })
	_, err := Up(ctx, c, Options{Docker: d, Logger: testutil.Logger(t)})
	if err == nil || !strings.Contains(err.Error(), HostName(c.Name, 2)) {
		t.Fatalf("up with a taken host name: %v, want an error naming it", err)
	}
	testutil.AssertNothingLeft(t, d, ClusterLabel(c.Name))
	if _, err := os.Stat(filepath.Join(RunDir, c.Name)); err == nil {
		t.Errorf("the failed up left %s", filepath.Join(RunDir, c.Name))
	}
}

func down(t *testing.T, d *docker.Client, name string) {
	for i := 0; i < 2; i++ { // down twice: the second finds nothing, and says so without error
		if _, err := Down(context.Background(), name, Options{Docker: d}); err != nil {
			t.Errorf("lab down #%d: %v", i+1, err)
		}
	}
	testutil.AssertNothingLeft(t, d, ClusterLabel(name))
	if _, err := os.Stat(filepath.Join(RunDir, name)); err == nil {
		t.Errorf("lab down left %s", filepath.Join(RunDir, name))
	}
	for _, base := range cgroupBases() {
		if _, err := os.Stat(filepath.Join(base, cgroupParent(name))); err == nil {
			t.Errorf("lab down left the cgroup %s", filepath.Join(base, cgroupParent(name)))
		}
	}
}
