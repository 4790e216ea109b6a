package cluster

import (
	"context"
	"errors"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationUpRace starts two `up` of the same cluster at once: one
// creates it, the other waits for it and confirms it (or says another run
// is creating it); the cluster is healthy afterwards and no container of
// the run that created it was removed or replaced.
func TestIntegrationUpRace(t *testing.T) {
	d := testutil.ParallelDocker(t)
	s, o := newSpec(t, d, "race")
	type outcome struct {
		res *Result
		ids []string // the cluster's containers right after this run returned
		err error
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	out := make([]outcome, 2)
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i].res, out[i].err = Up(context.Background(), s, o)
			out[i].ids = containerIDs(t, d, s.Name)
		}()
	}
	close(start)
	wg.Wait()
	created := -1
	for i, r := range out {
		t.Logf("run %d: existing=%v err=%v", i, r.res != nil && r.res.Existing, r.err)
		switch {
		case r.err == nil && !r.res.Existing:
			if created >= 0 {
				t.Errorf("both runs created the cluster")
			}
			created = i
		case r.err == nil: // confirmed the other run's cluster
		case errors.Is(r.err, ErrBusy) && strings.Contains(r.err.Error(), "another run is creating"):
		default:
			t.Errorf("run %d: %v, want success or an error saying another run is creating the cluster", i, r.err)
		}
	}
	if created < 0 {
		t.Fatalf("no run created the cluster")
	}
	final := containerIDs(t, d, s.Name)
	if len(final) != s.Nodes() || !slices.Equal(final, out[created].ids) {
		t.Errorf("containers when the creating run returned %v, at the end %v: want the same %d", out[created].ids, final, s.Nodes())
	}
	st, err := GetStatus(context.Background(), s.Name, o)
	if err != nil || !st.Healthy {
		t.Fatalf("status after the race: %+v, %v", st, err)
	}
	if l, found, err := d.LockHolder(context.Background(), s.Name); found || err != nil {
		t.Errorf("the lock is still there (%+v, %v)", l, err)
	}
	testutil.RedisCliCheck(t, out[created].res.Seeds()[0], out[created].res.Spec.Password)
}

// TestIntegrationUpRaceCLI runs two `redis-dock up` processes of the same
// name at once, as the issue found them: both must succeed (one creates,
// the other sees the other process alive, waits and confirms) or the
// loser must say another run is creating the cluster; the cluster is
// healthy afterwards.
func TestIntegrationUpRaceCLI(t *testing.T) {
	d := testutil.ParallelDocker(t)
	s, o := newSpec(t, d, "racecli")
	args := []string{"up", "--name", s.Name, "--port", strconv.Itoa(s.Port)}
	ps := []*testutil.CLI{testutil.StartCLI(t, args...), testutil.StartCLI(t, args...)}
	ok := 0
	for i, p := range ps {
		code, stderr := p.Wait()
		t.Logf("up %d: exit %d\n%s", i, code, stderr)
		switch {
		case code == 0:
			ok++
		case code == 1 && strings.Contains(stderr, "another run is creating"):
		default:
			t.Errorf("up %d: exit %d, want 0, or 1 saying another run is creating the cluster", i, code)
		}
	}
	if ok == 0 {
		t.Fatalf("neither up succeeded")
	}
	if cts := containerIDs(t, d, s.Name); len(cts) != s.Nodes() {
		t.Errorf("%d containers, want %d", len(cts), s.Nodes())
	}
	if st, err := GetStatus(context.Background(), s.Name, o); err != nil || !st.Healthy {
		t.Fatalf("status after the race: %+v, %v", st, err)
	}
}

func containerIDs(t *testing.T, d *docker.Client, name string) []string {
	cts, err := d.List(context.Background(), name)
	if err != nil {
		t.Error(err)
	}
	var ids []string
	for _, c := range cts {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestIntegrationUpInterrupted sends SIGTERM to `redis-dock up` (the
// built binary) once its first container exists: it must exit 143, say
// what it removed, and leave nothing that carries the cluster's label.
func TestIntegrationUpInterrupted(t *testing.T) {
	d := testutil.ParallelDocker(t)
	s, _ := newSpec(t, d, "sigup")
	p := testutil.StartCLI(t, "up", "--name", s.Name, "--port", strconv.Itoa(s.Port))
	first := p.WaitContainer(t, d, s.Name)
	p.AssertUndone(t, d, syscall.SIGTERM, s.Name, first)
}

// TestIntegrationScaleInterrupted sends SIGTERM to `redis-dock scale
// --masters 4` while slots move (after its first progress line, two
// seconds in, one slot per batch): it must exit 143 and leave no open
// slot, every key readable and the cluster healthy; scale again then
// finishes.
func TestIntegrationScaleInterrupted(t *testing.T) {
	d := testutil.ParallelDocker(t)
	ctx := context.Background()
	s, o := newSpec(t, d, "sigscale")
	s.Replicas, s.AppendOnly = 0, false
	res, err := Up(ctx, s, o)
	if err != nil {
		t.Fatal(err)
	}
	const keys = 30000
	rdb := clientFor(res)
	testutil.WriteRead(t, rdb, "k", keys)
	rdb.Close()
	p := testutil.StartCLI(t, "-v", "1", "scale", "--name", s.Name, "--masters", "4", "--replicas", "0",
		"--slots-per-batch", "1", "--keys-per-migrate", "1", "--parallel", "1", "--linger", "0")
	if !p.WaitLine("keys moved") {
		t.Fatalf("scale ended before moving slots:\n%s", p.Stderr())
	}
	p.Signal(t, syscall.SIGTERM)
	code, stderr := p.Wait()
	t.Logf("scale after SIGTERM:\n%s", stderr)
	if code != 143 {
		t.Errorf("exit code %d after SIGTERM, want 143", code)
	}
	st := mustStatus(t, s.Name, o)
	if len(st.OpenSlots) > 0 || !st.Healthy {
		t.Errorf("after the interrupted scale: open slots %v, healthy %v %v", st.OpenSlots, st.Healthy, st.Problems)
	}
	moved := 0
	for _, n := range st.Nodes {
		if n.Port == s.Port+3 {
			moved = n.SlotCount
		}
	}
	if moved == 0 || moved >= 16384/4 {
		t.Errorf("the new master owns %d slots: the interrupt did not come during the move", moved)
	}
	checkKeys(t, clientFor(res), keys)
	scale(t, s.Name, ScaleOptions{Masters: 4, Replicas: 0}, o)
	checkShares(t, s.Name, 4, o)
	checkKeys(t, clientFor(res), keys)
	testutil.RedisCliCheck(t, res.Seeds()[0], res.Spec.Password)
}

// TestIntegrationUpLock: a lock held by a live run makes `up` wait, then
// fail saying another run is creating the cluster, having made nothing;
// a lock left by a run that ended is removed and `up` goes ahead; `scale`
// refuses to run while another run holds the lock.
func TestIntegrationUpLock(t *testing.T) {
	d := testutil.ParallelDocker(t)
	ctx := context.Background()
	s, o := newSpec(t, d, "lock")
	s.Wait = time.Second
	if err := provision.EnsureImage(ctx, o, s); err != nil {
		t.Fatal(err)
	}
	live := provision.Self()
	held, err := d.CreateLock(ctx, s.Name, s.Image, live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Up(ctx, s, o); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "another run is creating") {
		t.Fatalf("up while another run holds the lock: %v, want an error saying another run is creating it", err)
	}
	if left, err := d.Leftovers(ctx, s.Name); err != nil || left != (docker.Removed{Containers: 1}) {
		t.Fatalf("after the refused up: %+v (%v), want only the other run's lock", left, err)
	}
	if err := d.RemoveLock(ctx, held.ID); err != nil {
		t.Fatal(err)
	}
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	dead := live
	dead.PID = ended.ProcessState.Pid()
	if _, err := d.CreateLock(ctx, s.Name, s.Image, dead); err != nil {
		t.Fatal(err)
	}
	s.Wait = time.Minute
	res, err := Up(ctx, s, o)
	if err != nil || res.Existing {
		t.Fatalf("up after a run that ended left its lock: %v", err)
	}
	if _, found, err := d.LockHolder(ctx, s.Name); found || err != nil {
		t.Errorf("the lock is still there (%v)", err)
	}
	held, err = d.CreateLock(ctx, s.Name, s.Image, live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Scale(ctx, s.Name, ScaleOptions{Masters: 4, Replicas: -1}, o); !errors.Is(err, ErrBusy) {
		t.Errorf("scale while another run holds the lock: %v, want an error naming that run", err)
	}
	if left, err := d.Leftovers(ctx, s.Name); err != nil || left.Containers != s.Nodes()+1 {
		t.Errorf("after the refused scale: %+v (%v), want the %d nodes and the lock", left, err, s.Nodes())
	}
}
