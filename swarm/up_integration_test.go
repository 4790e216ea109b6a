package swarm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	s, o, _ := upStack(t, d, "swu", nil)
	checkStackLabels(t, d, s.Name)
	checkLockedTasks(t, d, s.Name)
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

// TestIntegrationSwarmUpgrade rolls a second image (same binary, another
// image ID) through a 3x1 stack made by `swarm up` holding 2000 keys:
// every node's task is made again from the new image (new containers,
// the new image ID), node IDs stay (their volumes), each old master came
// back as the replica of the node it failed over to, every key is there,
// the stack's spec label names the new image (`swarm up` with it finds
// the same cluster), and a second run has nothing to do. A dry run before
// it plans and changes nothing; --config is refused.
func TestIntegrationSwarmUpgrade(t *testing.T) {
	d := needSwarm(t)
	ctx := context.Background()
	second := testutil.SecondImage(t, d) // removed after the stack (cleanups run last first)
	s := spec.Default()
	s.Name, s.NodeTimeout, s.Image = testutil.UniqueName("swupg"), 2000, testutil.PinNodeImage(t, d)
	o := Options{Docker: d, Logger: testLogger(t)}
	t.Cleanup(func() { down(t, d, s.Name) })
	if _, err := Up(ctx, s, o); err != nil {
		t.Fatal(err)
	}
	_, p, r, err := findStack(ctx, d, s.Name, "")
	if err != nil {
		t.Fatal(err)
	}
	before, err := runCheck(ctx, d, p, r, time.Minute, "--write-keys", "2000", "--prefix", "upg")
	if err != nil || before.Written != 2000 {
		t.Fatalf("writing 2000 keys: %d written, %v", before.Written, err)
	}
	cts := stackContainers(t, d, s.Name)

	if _, err := Upgrade(ctx, s.Name, UpgradeOptions{Image: second, Config: []string{"maxmemory 1mb"}}, o); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("swarm upgrade --config: %v, want an error naming --config", err)
	}
	dry, err := Upgrade(ctx, s.Name, UpgradeOptions{Image: second, DryRun: true}, o)
	if err != nil || strings.Count(dry.Plan, "\n") != 9 || len(dry.Replaced) != 0 {
		t.Fatalf("dry run: %v, plan (want 3 replicas, 3 failovers, 3 masters):\n%s", err, dry.Plan)
	}
	t.Logf("plan:\n%s", dry.Plan)

	res, err := Upgrade(ctx, s.Name, UpgradeOptions{Image: second, Wait: time.Minute}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("swarm upgrade of 6 nodes took %s: replaced %v, failed over %v", res.Elapsed.Round(time.Millisecond), res.Replaced, res.Failovers)
	if len(res.Replaced) != 6 || len(res.Failovers) != 3 {
		t.Fatalf("replaced %v, failed over %v: want 6 and 3", res.Replaced, res.Failovers)
	}
	info, err := d.ImageInspect(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	for svc, c := range stackContainers(t, d, s.Name) {
		if c.ID == cts[svc].ID || c.ImageID != info.ID {
			t.Errorf("%s: container %.12s of image %.19s, before %.12s: want a new container of %s (%.19s)", svc, c.ID, c.ImageID, cts[svc].ID, second, info.ID)
		}
	}
	after, err := runCheck(ctx, d, p, r, time.Minute, "--verify-keys", "2000", "--prefix", "upg")
	if err != nil || after.Verified != 2000 {
		t.Fatalf("reading the 2000 keys after the upgrade: %d read, %v", after.Verified, err)
	}
	was, now := byName(before), byName(after)
	for name, n := range was {
		if now[name].ID != n.ID {
			t.Errorf("%s: node ID %s, before %s", name, now[name].ID, n.ID)
		}
	}
	for _, f := range res.Failovers {
		old, to, _ := strings.Cut(f, " -> ")
		if now[old].Role != "replica" || now[old].Master != now[to].ID || now[to].Role != "master" {
			t.Errorf("after failover %s: %s is %s of %s, %s is %s", f, old, now[old].Role, now[old].Master, to, now[to].Role)
		}
	}
	again, err := Upgrade(ctx, s.Name, UpgradeOptions{Image: second}, o)
	if err != nil || len(again.Replaced) != 0 || len(again.Skipped) != 6 {
		t.Errorf("second run: replaced %v, skipped %v, err %v; want all 6 skipped", again.Replaced, again.Skipped, err)
	}
	s.Image = second
	if up, err := Up(ctx, s, o); err != nil || !up.Existing {
		t.Errorf("swarm up with the new image: %v, want the same cluster found", err)
	}
}

// stackContainers maps each node service of a stack to its running
// container (a single-node swarm runs them all here).
func stackContainers(t *testing.T, d *docker.Client, stack string) map[string]docker.Container {
	t.Helper()
	out := map[string]docker.Container{}
	for port := 7000; port < 7006; port++ {
		svc := serviceName(stack, fmt.Sprintf("node-%d", port))
		cts, err := d.ServiceContainers(context.Background(), svc)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cts {
			if c.State == "running" {
				out[svc] = c
			}
		}
		if _, ok := out[svc]; !ok {
			t.Fatalf("service %s runs no container here", svc)
		}
	}
	return out
}

// checkLockedTasks checks, in docker inspect, that every node task's
// container is locked down as a node of `up` is (no-new-privileges aside:
// Swarm services cannot set it through API 1.41): no capability, a
// read-only root filesystem, the pids limit.
func checkLockedTasks(t *testing.T, d *docker.Client, stack string) {
	t.Helper()
	n := 0
	testutil.InspectEach(t, d, stack, func(name string, raw []byte) {
		if !strings.Contains(name, "_node-") {
			return // the bootstrap and check jobs
		}
		var c struct {
			State      struct{ Running bool }
			HostConfig struct {
				CapDrop        []string
				ReadonlyRootfs bool
				PidsLimit      *int64
			}
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		if !c.State.Running {
			return
		}
		n++
		h := c.HostConfig
		if !slices.Equal(h.CapDrop, []string{"ALL"}) || !h.ReadonlyRootfs || h.PidsLimit == nil || *h.PidsLimit != docker.PidsLimit {
			t.Errorf("%s: CapDrop %v, ReadonlyRootfs %v, PidsLimit %v; want [ALL], true, %d", name, h.CapDrop, h.ReadonlyRootfs, h.PidsLimit, docker.PidsLimit)
		}
	})
	if n != 6 {
		t.Errorf("%d running node task containers checked, want 6", n)
	}
}

// upStack deploys a 3x1 stack by `swarm up` (spec: the defaults, a unique
// name of prefix, the test's image, 2 s node timeout, then edit), removed
// when the test ends, and checks it came up healthy with 6 nodes.
func upStack(t *testing.T, d *docker.Client, prefix string, edit func(*spec.Spec)) (spec.Spec, Options, *Result) {
	t.Helper()
	s := spec.Default()
	s.Name, s.NodeTimeout, s.Image = testutil.UniqueName(prefix), 2000, testutil.PinNodeImage(t, d)
	if edit != nil {
		edit(&s)
	}
	o := Options{Docker: d, Logger: testLogger(t)}
	t.Cleanup(func() { down(t, d, s.Name) })
	res, err := Up(context.Background(), s, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Nodes) != 6 || !res.Report.Healthy {
		t.Fatalf("report %+v", res.Report)
	}
	return s, o, res
}
