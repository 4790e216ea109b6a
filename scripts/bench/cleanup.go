package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// tracker remembers every cluster and image the benchmark made until it
// is removed, so that an error or an interrupt leaves nothing behind.
type tracker struct {
	d      *docker.Client
	mu     sync.Mutex
	live   map[string]bool
	images map[string]bool
	stuck  []string // networks the engine would not remove (see tolerate)
}

func newTracker(d *docker.Client) *tracker {
	return &tracker{d: d, live: map[string]bool{}, images: map[string]bool{}}
}

// add records a cluster name before anything carrying it is created.
func (t *tracker) add(name string) {
	t.mu.Lock()
	t.live[name] = true
	t.mu.Unlock()
}

func (t *tracker) addImage(ref string) {
	t.mu.Lock()
	t.images[ref] = true
	t.mu.Unlock()
}

// done records that a cluster was removed by other means (a timed down).
func (t *tracker) done(name string) {
	t.mu.Lock()
	delete(t.live, name)
	t.mu.Unlock()
}

// remove deletes a cluster with its volumes.
func (t *tracker) remove(ctx context.Context, name string) error {
	_, err := t.d.RemoveCluster(ctx, name, true)
	if err = t.tolerate(name, err); err != nil {
		return err
	}
	t.done(name)
	return nil
}

// tolerate turns the one error the engine itself causes into a note: a
// network it refuses to remove for "active endpoints" with no container
// left (Docker 20.10 miscounts endpoints after many concurrent starts and
// removals; a dockerd restart clears it). Containers and volumes are gone
// by then, so the benchmark goes on and reports the network at the end.
func (t *tracker) tolerate(name string, err error) error {
	if err == nil || !strings.Contains(err.Error(), "active endpoints") {
		return err
	}
	left, lerr := t.d.Leftovers(context.WithoutCancel(context.Background()), name)
	if lerr != nil || left.Containers > 0 || left.Volumes > 0 {
		return err
	}
	t.mu.Lock()
	t.stuck = append(t.stuck, name)
	t.mu.Unlock()
	return nil
}

// stuckNetworks lists the clusters whose network the engine kept.
func (t *tracker) stuckNetworks() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.stuck...)
}

func (t *tracker) removeImage(ctx context.Context, ref string) error {
	if err := t.d.RemoveImage(ctx, ref); err != nil {
		return err
	}
	t.mu.Lock()
	delete(t.images, ref)
	t.mu.Unlock()
	return nil
}

// cleanup removes whatever is still recorded, with its own deadline
// (the run's context may be cancelled by then). A create the engine
// finishes after its request was cancelled can outlive the first pass,
// so each cluster is checked for leftovers and removed again.
func (t *tracker) cleanup() (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	t.mu.Lock()
	var names, refs []string
	for n := range t.live {
		names = append(names, n)
	}
	for r := range t.images {
		refs = append(refs, r)
	}
	t.mu.Unlock()
	sort.Strings(names)
	var errs []error
	for _, n := range names {
		errs = append(errs, t.removeFully(ctx, n))
	}
	for _, r := range refs {
		errs = append(errs, t.removeImage(ctx, r))
	}
	return len(names) + len(refs), errors.Join(errs...)
}

func (t *tracker) removeFully(ctx context.Context, name string) error {
	for try := 0; ; try++ {
		_, err := t.d.RemoveCluster(ctx, name, true)
		if err = t.tolerate(name, err); err != nil && try >= 2 {
			return err
		}
		if err == nil && t.isStuck(name) {
			t.done(name)
			return nil
		}
		left, err := t.d.Leftovers(ctx, name)
		if err == nil && left == (docker.Removed{}) {
			t.done(name)
			return nil
		}
		if try >= 2 {
			return fmt.Errorf("cluster %s: still left after cleanup: %+v (%v); run scripts/cleanup", name, left, err)
		}
		time.Sleep(time.Second)
	}
}

func (t *tracker) isStuck(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Contains(t.stuck, name)
}
