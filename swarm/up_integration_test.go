package swarm

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationSwarmUp deploys through the SDK (swarm up), which
// `docker stack` sees; status finds it healthy, a second up only checks
// it, and down removes everything it made. Before the test swarm
// existed, up refused the engine, naming `docker swarm init`.
func TestIntegrationSwarmUp(t *testing.T) {
	d := needSwarm(t)
	if swarmCreated {
		if notManagerErr == nil || !errors.Is(notManagerErr, ErrNotManager) || !strings.Contains(notManagerErr.Error(), "docker swarm init") {
			t.Errorf("up on an engine in no swarm: err = %v, want one naming docker swarm init", notManagerErr)
		}
	} else {
		t.Log("the engine was a swarm manager already: the not-a-manager error was not checked")
	}
	ctx := context.Background()
	s := spec.Default()
	s.Name, s.NodeTimeout, s.Image = testutil.UniqueName("swu"), 2000, testutil.PinNodeImage(t, d)
	o := Options{Docker: d, Logger: testLogger(t)}
	t.Cleanup(func() { down(t, d, s.Name) })
	res, err := Up(ctx, s, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Nodes) != 6 || !res.Report.Healthy {
		t.Fatalf("report %+v", res.Report)
	}
	checkStackLabels(t, d, s.Name)
	st, err := GetStatus(ctx, s.Name, 10*time.Second, o)
	if err != nil || !st.Healthy || len(st.Services) != 7 {
		t.Fatalf("status: %+v, %v", st, err)
	}
	again, err := Up(ctx, s, o)
	if err != nil || !again.Existing {
		t.Fatalf("second up: existing %v, err %v", again != nil && again.Existing, err)
	}
	r, err := Down(ctx, s.Name, true, o)
	if err != nil || r.Services != 7 || r.Configs != 6 || r.Secrets != 1 || r.Networks != 1 || r.Volumes != 6 {
		t.Fatalf("down removed %+v, err %v", r, err)
	}
	if _, err := GetStatus(ctx, s.Name, time.Second, o); err == nil || !strings.Contains(err.Error(), "--name") {
		t.Errorf("status after down: err = %v, want one naming --name", err)
	}
}

// checkStackLabels checks every service of the stack carries the stack
// namespace `docker stack` looks for, and the cluster label.
func checkStackLabels(t *testing.T, d *docker.Client, name string) {
	t.Helper()
	services, err := d.Services(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range services {
		if s.Labels[docker.LabelStackNamespace] != name || s.Labels[docker.LabelCluster] != name {
			t.Errorf("service %s labels %v", s.Name, s.Labels)
		}
	}
}
