package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

// TestIntegrationUpgradeUnderLoad rolls a second image through a 3x1
// cluster holding 20,000 keys while a go-redis ClusterClient reads and
// writes (and a sampler writes with WAIT 1): every container is made
// again from the new image, node IDs stay, the client sees no error and
// no key is lost. Then a second cluster's upgrade is cancelled during
// its third node and run again: it finishes with the same guarantees; a
// third cluster's, by SIGTERM to the built binary (upgradeCLISIGTERM).
func TestIntegrationUpgradeUnderLoad(t *testing.T) {
	d := testutil.ParallelDocker(t)
	second := testutil.SecondImage(t, d)

	t.Run("straight", func(t *testing.T) {
		_, s, o, res := upTest(t, "upg", nil)
		before := snapshotNodes(t, d, s.Name, o)
		load := startLoad(t, res.Seeds(), res.Spec.Password, 20000, 3)
		waits := startWaitSampler(res.Seeds(), res.Spec.Password)
		gaps := startGapMeter(res.Seeds(), res.Spec.Password, 0, 5461, 10923)
		up, err := Upgrade(context.Background(), s.Name, UpgradeOptions{Image: second}, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("upgrade: replaced %v, failovers %v in %s", up.Replaced, up.Failovers, up.Elapsed)
		gaps.finish(t)
		if len(up.Replaced) != 6 || len(up.Failovers) != 3 {
			t.Errorf("replaced %d nodes with %d failovers, want 6 and 3", len(up.Replaced), len(up.Failovers))
		}
		// an upgrade killed between removing a node's container and
		// making it again: the next run makes it from its volume
		victim := fmt.Sprintf("%s-%d", s.Name, s.Port) // a replica by now
		removeContainer(t, d, s.Name, victim)
		again, err := Upgrade(context.Background(), s.Name, UpgradeOptions{Image: second}, o)
		if err != nil || len(again.Replaced) != 1 || again.Replaced[0] != victim || len(again.Skipped) != 5 {
			t.Errorf("upgrade again with %s's container gone: replaced %v, skipped %v, err %v; want %s made again, 5 skipped",
				victim, again.Replaced, again.Skipped, err, victim)
		}
		waits.finish(t, res.Seeds(), res.Spec.Password)
		load.finish(t, res.Seeds(), res.Spec.Password)
		before.checkUpgraded(t, d, second, o)
	})

	t.Run("sigterm", func(t *testing.T) { upgradeCLISIGTERM(t, d, second) })
	t.Run("config", func(t *testing.T) { upgradeConfig(t, d, second) })

	t.Run("interrupted", func(t *testing.T) {
		_, s, o, res := upTest(t, "upgint", nil)
		before := snapshotNodes(t, d, s.Name, o)
		load := startLoad(t, res.Seeds(), res.Spec.Password, 20000, 3)
		waits := startWaitSampler(res.Seeds(), res.Spec.Password)
		ctx, cancel := context.WithCancel(context.Background())
		stopWatch := before.cancelAtNew(d, 3, cancel)
		first, err := Upgrade(ctx, s.Name, UpgradeOptions{Image: second}, o)
		stopWatch()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("upgrade cancelled during its third node: err %v, want context.Canceled", err)
		}
		if n := len(first.Replaced); n < 3 || n >= 6 {
			t.Errorf("the cancelled upgrade replaced %v, want the third node finished and some nodes left", first.Replaced)
		}
		if err := WaitHealthy(context.Background(), s.Name, 5*time.Second, o); err != nil {
			t.Errorf("after the cancelled upgrade: %v", err)
		}
		t.Logf("cancelled: %v (replaced %v)", err, first.Replaced)
		rest, err := Upgrade(context.Background(), s.Name, UpgradeOptions{Image: second}, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("resumed: replaced %v, skipped %v in %s", rest.Replaced, rest.Skipped, rest.Elapsed)
		if len(first.Replaced)+len(rest.Replaced) != 6 {
			t.Errorf("replaced %v then %v, want each of the 6 nodes once", first.Replaced, rest.Replaced)
		}
		waits.finish(t, res.Seeds(), res.Spec.Password)
		load.finish(t, res.Seeds(), res.Spec.Password)
		before.checkUpgraded(t, d, second, o)
	})
}

// upgradeCLISIGTERM: the built binary refuses bad input and plans
// without changing anything; SIGTERM while it replaces the third node
// ends it once that node is back (exit 143), the cluster healthy; the
// same command run again finishes the upgrade, with a live client seeing
// no error and losing nothing throughout.
func upgradeCLISIGTERM(t *testing.T, d *docker.Client, second string) {
	_, s, o, res := upTest(t, "upgsig", nil)
	before := snapshotNodes(t, d, s.Name, o)
	for _, c := range []struct{ arg, names string }{
		{"port 1", "--config"}, {"maxmemory", "--config"},
	} {
		p := testutil.StartCLI(t, "upgrade", "--name", s.Name, "--image", second, "--config", c.arg)
		if code, stderr := p.Wait(); code == 0 || !strings.Contains(stderr, c.names) {
			t.Errorf("upgrade --config %q: exit %d, want an error naming %s:\n%s", c.arg, code, c.names, stderr)
		}
	}
	if p := testutil.StartCLI(t, "upgrade", "--name", s.Name, "--image", second, "--dry-run"); func() bool { code, _ := p.Wait(); return code != 0 }() {
		t.Errorf("upgrade --dry-run failed:\n%s", p.Stderr())
	}
	before.checkUnchanged(t, d)

	load := startLoad(t, res.Seeds(), res.Spec.Password, 20000, 3)
	waits := startWaitSampler(res.Seeds(), res.Spec.Password)
	third := fmt.Sprintf("%s-%d", s.Name, s.Port+5) // replicas are p+3..p+5
	t.Logf("upgrade at %s", time.Now().Format("15:04:05.000"))
	p := testutil.StartCLI(t, "-v", "1", "upgrade", "--name", s.Name, "--image", second)
	if !p.WaitLine("Replacing " + third) {
		t.Fatalf("upgrade ended before replacing %s:\n%s", third, p.Stderr())
	}
	p.Signal(t, syscall.SIGTERM)
	code, stderr := p.Wait()
	t.Logf("upgrade after SIGTERM:\n%s", stderr)
	if code != 143 || !strings.Contains(stderr, "✓ Replacing "+third) || !strings.Contains(stderr, "run upgrade again") {
		t.Errorf("after SIGTERM during %s: exit %d, want 143 with %s replaced and a hint to run upgrade again", third, code, third)
	}
	if err := WaitHealthy(context.Background(), s.Name, 5*time.Second, o); err != nil {
		t.Errorf("after the interrupted upgrade: %v", err)
	}
	t.Logf("upgrade again at %s", time.Now().Format("15:04:05.000"))
	p = testutil.StartCLI(t, "-v", "1", "upgrade", "--name", s.Name, "--image", second)
	code, stderr = p.Wait()
	t.Logf("upgrade again, ended at %s:\n%s", time.Now().Format("15:04:05.000"), stderr)
	if code != 0 {
		t.Fatalf("upgrade again: exit %d", code)
	}
	waits.finish(t, res.Seeds(), res.Spec.Password)
	load.finish(t, res.Seeds(), res.Spec.Password)
	before.checkUpgraded(t, d, second, o)
}

// upgradeConfig: a setting Redis takes at runtime is set on every node
// with no container replaced (and kept in each node's config file, and
// seen as done by the next run); one it does not take (databases) makes
// new containers, saying so; `up` with the new spec then finds the same
// cluster.
func upgradeConfig(t *testing.T, d *docker.Client, second string) {
	ctx := context.Background()
	_, s, o, res := upTest(t, "upgcfg", nil)
	before := snapshotNodes(t, d, s.Name, o)
	load := startLoad(t, res.Seeds(), res.Spec.Password, 20000, 3)
	live, err := Upgrade(ctx, s.Name, UpgradeOptions{Config: []string{"maxmemory 100mb"}}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(live.SetLive) != 6 || len(live.Replaced) != 0 || fmt.Sprint(live.Runtime) != "[maxmemory]" {
		t.Errorf("maxmemory: set live on %v, replaced %v, runtime %v; want all 6 set live, none replaced", live.SetLive, live.Replaced, live.Runtime)
	}
	before.checkUnchanged(t, d)
	cts, err := d.List(ctx, s.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cts {
		conf, err := d.ReadFile(ctx, c.ID, ConfigPath)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := templates.Directive(conf, "maxmemory"); !ok || len(v) != 1 || v[0] != "100mb" {
			t.Errorf("%s: maxmemory in its config file is %v, want 100mb (CONFIG REWRITE)", c.Name, v)
		}
		n := redisx.Dial(AdminAddr(res.Spec, c.Port), res.Auth())
		got, err := n.Command(ctx, "CONFIG", "GET", "maxmemory")
		n.Close()
		if v, _ := got.([]any); err != nil || len(v) != 2 || v[1] != "104857600" {
			t.Errorf("%s: CONFIG GET maxmemory = %v (err %v), want 104857600", c.Name, got, err)
		}
	}
	again, err := Upgrade(ctx, s.Name, UpgradeOptions{Config: []string{"maxmemory 100mb"}}, o)
	if err != nil || len(again.Skipped) != 6 {
		t.Errorf("the same config again: skipped %v, err %v; want all 6 skipped", again.Skipped, err)
	}
	restart, err := Upgrade(ctx, s.Name, UpgradeOptions{Image: second, Config: []string{"maxmemory 100mb", "databases 4"}}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(restart.Replaced) != 6 || fmt.Sprint(restart.Restart) != "[databases]" {
		t.Errorf("databases: replaced %v, restart %v; want all 6 replaced, databases named", restart.Replaced, restart.Restart)
	}
	load.finish(t, res.Seeds(), res.Spec.Password)
	before.checkUpgraded(t, d, second, o)
	want := s
	want.Image, want.Config = second, []string{"maxmemory 100mb", "databases 4"}
	if r, err := Up(ctx, want, o); err != nil || !r.Existing {
		t.Errorf("up with the upgraded spec: %v, want the same cluster found", err)
	}
}

// checkUnchanged checks the cluster still runs the same containers.
func (b nodesBefore) checkUnchanged(t *testing.T, d *docker.Client) {
	t.Helper()
	cts, err := d.List(context.Background(), b.name)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cts {
		if c.ID != b.cts[c.Name].ID {
			t.Errorf("%s was replaced by a command that should have changed nothing", c.Name)
		}
	}
}

// nodesBefore is a cluster's containers and node IDs before an upgrade.
type nodesBefore struct {
	name string
	cts  map[string]docker.Container // by container name
	ids  map[string]string           // node ID by container name
}

func snapshotNodes(t *testing.T, d *docker.Client, name string, o Options) nodesBefore {
	t.Helper()
	cts, err := d.List(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	b := nodesBefore{name: name, cts: map[string]docker.Container{}, ids: nodeIDs(t, name, o)}
	for _, c := range cts {
		b.cts[c.Name] = c
	}
	return b
}

// checkUpgraded checks every node runs in a new container of image, with
// its node ID unchanged, and the cluster is healthy.
func (b nodesBefore) checkUpgraded(t *testing.T, d *docker.Client, image string, o Options) {
	t.Helper()
	ctx := context.Background()
	info, err := d.ImageInspect(ctx, image)
	if err != nil {
		t.Fatal(err)
	}
	cts, err := d.List(ctx, b.name)
	if err != nil {
		t.Fatal(err)
	}
	if len(cts) != len(b.cts) {
		t.Errorf("%d containers after the upgrade, %d before", len(cts), len(b.cts))
	}
	for _, c := range cts {
		old := b.cts[c.Name]
		if c.ID == old.ID || c.ImageID != info.ID || c.ImageID == old.ImageID {
			t.Errorf("%s: container %.12s image %.19s, before %.12s image %.19s: want a new container of %s (%.19s)",
				c.Name, c.ID, c.ImageID, old.ID, old.ImageID, image, info.ID)
		}
	}
	after := nodeIDs(t, b.name, o)
	for n, id := range b.ids {
		if after[n] != id {
			t.Errorf("%s: node ID %s, before %s", n, after[n], id)
		}
	}
	if err := WaitHealthy(ctx, b.name, 10*time.Second, o); err != nil {
		t.Error(err)
	}
}

// cancelAtNew calls cancel once n containers of the cluster are new (the
// n-th node is then being made again); the returned func stops watching.
func (b nodesBefore) cancelAtNew(d *docker.Client, n int, cancel func()) func() {
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			cts, err := d.List(context.Background(), b.name)
			if err != nil {
				continue
			}
			fresh := 0
			for _, c := range cts {
				if c.ID != b.cts[c.Name].ID {
					fresh++
				}
			}
			if fresh >= n {
				cancel()
				return
			}
		}
	}()
	return func() { close(stop); <-done }
}

// waitSampler writes a sample of keys, each followed by WAIT 1 on the
// same connection to its master, and keeps those a replica acknowledged:
// they must survive every failover. Writes refused meanwhile (MOVED from
// a stale map, a node restarting) are counted, not errors: the sampler
// talks to single nodes, without the cluster client's redirects.
type waitSampler struct {
	rdb     *redis.ClusterClient
	mu      sync.Mutex
	acked   []string
	tries   atomic.Int64
	refused atomic.Int64
	stop    context.CancelFunc
	done    sync.WaitGroup
}

// minAcked is the least number of acknowledged sample writes for the
// check of them to mean something.
const minAcked = 20

func startWaitSampler(seeds []string, password string) *waitSampler {
	ctx, cancel := context.WithCancel(context.Background())
	w := &waitSampler{rdb: redis.NewClusterClient(&redis.ClusterOptions{Addrs: seeds, Password: password}), stop: cancel}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		for i := 0; ctx.Err() == nil; i++ {
			w.once(ctx, fmt.Sprintf("w:%d", i))
			select {
			case <-ctx.Done():
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return w
}

func (w *waitSampler) once(ctx context.Context, key string) {
	w.tries.Add(1)
	m, err := w.rdb.MasterForKey(ctx, key)
	if err != nil {
		w.refused.Add(1)
		return
	}
	p := m.Pipeline()
	p.Set(ctx, key, key, 0)
	acks := p.Do(ctx, "WAIT", 1, 1000)
	if _, err := p.Exec(ctx); err != nil {
		w.refused.Add(1)
		w.rdb.ReloadState(ctx)
		return
	}
	if n, _ := acks.Int64(); n >= 1 {
		w.mu.Lock()
		w.acked = append(w.acked, key)
		w.mu.Unlock()
	}
}

// finish stops sampling and checks that every acknowledged key is there.
func (w *waitSampler) finish(t *testing.T, seeds []string, password string) {
	t.Helper()
	w.stop()
	w.done.Wait()
	w.rdb.Close()
	t.Logf("WAIT 1 sample: %d writes, %d acknowledged by a replica, %d refused by a single node", w.tries.Load(), len(w.acked), w.refused.Load())
	if len(w.acked) < minAcked {
		t.Errorf("%d sample writes acknowledged by a replica, want at least %d", len(w.acked), minAcked)
	}
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: seeds, Password: password})
	defer rdb.Close()
	want := map[string]func(string) bool{}
	for _, k := range w.acked {
		want[k] = func(got string) bool { return got == k }
	}
	checkAll(t, rdb, want)
}

// gapMeter writes one key in each of a few slots through its own cluster
// client, back to back, and measures the longest time between two
// acknowledged writes of one slot: how long that slot had no writable
// master, as a client saw it (a figure for the README, never asserted).
type gapMeter struct {
	rdb    *redis.ClusterClient
	stop   context.CancelFunc
	done   sync.WaitGroup
	mu     sync.Mutex
	max    time.Duration
	writes atomic.Int64
}

func startGapMeter(seeds []string, password string, slots ...int) *gapMeter {
	ctx, cancel := context.WithCancel(context.Background())
	g := &gapMeter{rdb: redis.NewClusterClient(&redis.ClusterOptions{Addrs: seeds, Password: password}), stop: cancel}
	for _, slot := range slots {
		key := topology.KeyInSlot("gap:", slot)
		g.done.Add(1)
		go func() {
			defer g.done.Done()
			last := time.Now()
			for ctx.Err() == nil {
				if g.rdb.Set(ctx, key, "x", 0).Err() != nil {
					continue
				}
				now := time.Now()
				g.writes.Add(1)
				g.mu.Lock()
				g.max = max(g.max, now.Sub(last))
				g.mu.Unlock()
				last = now
			}
		}()
	}
	return g
}

// finish stops the meter and returns the longest gap.
func (g *gapMeter) finish(t *testing.T) time.Duration {
	t.Helper()
	g.stop()
	g.done.Wait()
	g.rdb.Close()
	t.Logf("gap meter: %d writes; longest time a slot had no writable master: %s", g.writes.Load(), g.max.Round(time.Millisecond))
	return g.max
}

// removeContainer stops and removes one node container, keeping its volume.
func removeContainer(t *testing.T, d *docker.Client, cluster, name string) {
	t.Helper()
	ctx := context.Background()
	cts, err := d.List(ctx, cluster)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cts {
		if c.Name == name {
			if err := d.Stop(ctx, c.ID, 10); err != nil {
				t.Fatal(err)
			}
			if err := d.RemoveContainer(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no container %s", name)
}
