package sentinel

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

// TestIntegrationSentinelUpgrade rolls a second image (same binary,
// another ID) through a group of 1 master, 2 replicas and 3 sentinels
// while a go-redis FailoverClient writes: every container is made again
// from the new image (new container IDs, the new image ID), the master
// moved once, and every write the client had acknowledged is there
// afterwards. It logs the upgrade's time and the longest time between
// two acknowledged writes. A second run finds nothing to do.
func TestIntegrationSentinelUpgrade(t *testing.T) {
	ctx := context.Background()
	d := testutil.ParallelDocker(t)
	second := testutil.SecondImage(t, d) // removed after the group (cleanups run last first)
	// down-after 5s (newSpec's 1s fails over by itself on a loaded machine)
	s, o := newSpec(t, d, "sentinel-upg", func(s *spec.Spec) { s.DownAfter = 5000 })
	res, err := Up(ctx, s, o)
	if err != nil {
		t.Fatal(err)
	}
	newImage, err := d.ImageInspect(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	before := containers(t, d, s.Name)

	rdb := failoverClient(res)
	defer rdb.Close()
	w := &gapWriter{rdb: rdb}
	stop := w.start()
	w.waitAcked(t, 300)

	up, err := Upgrade(ctx, s.Name, provision.UpgradeOptions{Image: second}, o)
	if err != nil {
		stop()
		t.Fatal(err)
	}
	t.Logf("upgrade of 1 master + 2 replicas + 3 sentinels took %s; plan:\n%s", up.Elapsed.Round(time.Millisecond), up.Plan)
	at := w.count()
	w.waitAcked(t, at+300) // the client writes to the new master
	stop()

	if len(up.Replaced) != len(before) || len(up.Failovers) != 1 {
		t.Fatalf("replaced %v, failed over %v: want all %d containers replaced and one failover", up.Replaced, up.Failovers, len(before))
	}
	after := containers(t, d, s.Name)
	for name, c := range before {
		a, ok := after[name]
		switch {
		case !ok:
			t.Errorf("%s is gone after the upgrade", name)
		case a.ID == c.ID:
			t.Errorf("%s kept its container %s", name, c.ID)
		case a.ImageID != newImage.ID || c.ImageID == newImage.ID:
			t.Errorf("%s ran image %s, runs %s now; want %s", name, c.ImageID, a.ImageID, newImage.ID)
		}
	}
	if err := WaitHealthy(ctx, s.Name, s.Wait, o); err != nil {
		t.Fatal(err)
	}
	acked, fails, gap := w.result()
	if len(acked) < 1000 {
		t.Fatalf("only %d writes acknowledged (%d failed), want at least 1000", len(acked), fails)
	}
	check := failoverClient(res)
	defer check.Close()
	lost := 0
	for k, v := range acked {
		if got, err := check.Get(ctx, k).Result(); err != nil || got != v {
			lost++
			if lost <= 5 {
				t.Errorf("acknowledged %s=%s, read %q, %v", k, v, got, err)
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged writes lost", lost, len(acked))
	}
	t.Logf("%d writes acknowledged, none lost, %d failed (retries exhausted); longest time between two acknowledged writes: %s",
		len(acked), fails, gap.Round(time.Millisecond))

	again, err := Upgrade(ctx, s.Name, provision.UpgradeOptions{Image: second}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Replaced) != 0 || len(again.Skipped) != len(before) {
		t.Fatalf("second run replaced %v, skipped %v: want nothing replaced, all %d skipped", again.Replaced, again.Skipped, len(before))
	}

	// A container gone (an upgrade killed between removing and making
	// it): the next run makes it again on its volume and skips the rest.
	now, err := GetStatus(ctx, s.Name, o)
	if err != nil {
		t.Fatal(err)
	}
	var replica docker.Container
	for _, n := range now.Nodes {
		if n.Role == "replica" {
			replica = after[n.Name]
		}
	}
	if err := d.Stop(ctx, replica.ID, 10); err != nil {
		t.Fatal(err)
	}
	if err := d.RemoveContainer(ctx, replica.ID); err != nil {
		t.Fatal(err)
	}
	restored, err := Upgrade(ctx, s.Name, provision.UpgradeOptions{Image: second}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(restored.Replaced) != 1 || restored.Replaced[0] != replica.Name || len(restored.Skipped) != len(before)-1 {
		t.Fatalf("after removing %s: replaced %v, skipped %v; want it alone made again, the other %d skipped",
			replica.Name, restored.Replaced, restored.Skipped, len(before)-1)
	}
	check2 := failoverClient(res)
	defer check2.Close()
	for k, v := range acked {
		if got, err := check2.Get(ctx, k).Result(); err != nil || got != v {
			t.Fatalf("after making %s again: acknowledged %s=%s, read %q, %v", replica.Name, k, v, got, err)
		}
	}
	upgradeRuntimeConfig(t, d, res, second, o)
}

// upgradeRuntimeConfig upgrades the group's config with a setting Redis
// takes at runtime: every data node gets it by CONFIG SET (and CONFIG
// REWRITE into its own config file) with no container replaced, the
// sentinels are left alone, a second run has nothing to do, and `up`
// with the new spec finds the same group.
func upgradeRuntimeConfig(t *testing.T, d *docker.Client, res *Result, image string, o provision.Options) {
	ctx := context.Background()
	s := res.Spec
	before := containers(t, d, s.Name)
	uo := provision.UpgradeOptions{Image: image, Config: []string{"maxmemory 100mb"}}
	live, err := Upgrade(ctx, s.Name, uo, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("config-only upgrade took %s; plan:\n%s", live.Elapsed.Round(time.Millisecond), live.Plan)
	if len(live.SetLive) != s.Replicas+1 || len(live.Replaced) != 0 || fmt.Sprint(live.Runtime) != "[maxmemory]" || len(live.Restart) != 0 {
		t.Errorf("maxmemory: set live on %v, replaced %v, runtime %v, restart %v; want the %d data nodes set live, nothing replaced",
			live.SetLive, live.Replaced, live.Runtime, live.Restart, s.Replicas+1)
	}
	for name, c := range containers(t, d, s.Name) {
		if c.ID != before[name].ID {
			t.Errorf("%s was replaced by a runtime config change", name)
		}
		if c.Role == topology.RoleSentinel {
			continue
		}
		conf, err := d.ReadFile(ctx, c.ID, provision.ConfigPath)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := templates.Directive(conf, "maxmemory"); !ok || len(v) != 1 || v[0] != "100mb" {
			t.Errorf("%s: maxmemory in its config file is %v, want 100mb (CONFIG REWRITE)", name, v)
		}
		n := redisx.Dial(s.Net().AdminAddr(c.Port), redisx.Auth{Password: s.Password})
		got, err := n.Command(ctx, "CONFIG", "GET", "maxmemory")
		n.Close()
		if v, _ := got.([]any); err != nil || len(v) != 2 || v[1] != "104857600" {
			t.Errorf("%s: CONFIG GET maxmemory = %v (err %v), want 104857600", name, got, err)
		}
	}
	again, err := Upgrade(ctx, s.Name, uo, o)
	if err != nil || len(again.Skipped) != len(before) || len(again.SetLive) != 0 {
		t.Errorf("the same config again: skipped %v, set live %v, err %v; want all %d skipped", again.Skipped, again.SetLive, err, len(before))
	}
	want := s
	want.Image, want.Config = image, uo.Config
	if r, err := Up(ctx, want, o); err != nil || !r.Existing {
		t.Errorf("up with the upgraded spec: %v, want the same group found", err)
	}
}

// containers maps the group's containers by name.
func containers(t *testing.T, d *docker.Client, name string) map[string]docker.Container {
	t.Helper()
	cts, err := d.List(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]docker.Container{}
	for _, c := range docker.Nodes(cts) {
		out[c.Name] = c
	}
	return out
}

// gapWriter writes u:0, u:1, ... through a FailoverClient and records the
// writes the master acknowledged (OK) and the longest time between two.
type gapWriter struct {
	rdb   *redis.Client
	mu    sync.Mutex
	acked map[string]string
	fails int
	last  time.Time
	gap   time.Duration
}

func (w *gapWriter) start() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	w.acked, w.last = map[string]string{}, time.Now()
	go func() {
		defer close(done)
		for i := 0; ctx.Err() == nil; i++ {
			k, v := fmt.Sprintf("u:%d", i), fmt.Sprint(i)
			err := w.rdb.Set(ctx, k, v, 0).Err()
			w.mu.Lock()
			if err == nil {
				now := time.Now()
				w.acked[k] = v
				w.gap = max(w.gap, now.Sub(w.last))
				w.last = now
			} else if ctx.Err() == nil {
				w.fails++
			}
			w.mu.Unlock()
		}
	}()
	return func() { cancel(); <-done }
}

func (w *gapWriter) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

// waitAcked fails t unless n writes are acknowledged within a minute.
func (w *gapWriter) waitAcked(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for w.count() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes acknowledged within a minute, want %d", w.count(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (w *gapWriter) result() (map[string]string, int, time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.acked, w.fails, w.gap
}
