package docker

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
)

// RoleLock is the role label of a cluster's lock container: List leaves
// it out, RemoveCluster and Leftovers count it.
const RoleLock = "lock"

// Labels of a lock container naming the run that holds it.
const (
	labelLockHost  = "redis-dock.lock.host"
	labelLockPID   = "redis-dock.lock.pid"
	labelLockStart = "redis-dock.lock.start"
	labelLockSince = "redis-dock.lock.since"
)

// LockOwner is the run that holds a cluster's lock: enough for another
// run on the same host to tell whether that process still runs.
type LockOwner struct {
	Host  string
	PID   int
	Start string // the process's start time as the OS tells it ("" when unknown)
	Since time.Time
}

// Lock is a run's claim on a cluster name while it creates the cluster:
// a container that is created and never started. The engine refuses a
// second container of the same name, so of the runs that create it at
// once exactly one gets it.
type Lock struct {
	ID    string
	Owner LockOwner
}

// ErrLocked says another run holds the cluster's lock.
var ErrLocked = errors.New("another run holds the cluster's lock")

// LockName is the lock container's name: a dot never appears in a
// cluster's node names.
func LockName(cluster string) string { return "redis-dock.lock." + cluster }

// CreateLock creates the cluster's lock container from image (any local
// image: it never runs). When another run holds it, it returns that
// run's lock and an error wrapping ErrLocked.
func (c *Client) CreateLock(ctx context.Context, cluster, image string, o LockOwner) (Lock, error) {
	labels := map[string]string{
		LabelCluster: cluster, LabelRole: RoleLock, labelLockHost: o.Host,
		labelLockPID: strconv.Itoa(o.PID), labelLockStart: o.Start, labelLockSince: o.Since.UTC().Format(time.RFC3339),
	}
	cfg := &container.Config{Image: image, Labels: labels, Cmd: []string{"redis-server", "--version"}}
	host := &container.HostConfig{NetworkMode: "none"}
	for try := 0; try < 50; try++ { // the name is reserved a moment before the container can be inspected
		if err := ctx.Err(); err != nil {
			return Lock{}, err
		}
		dctx, cancel := detached(ctx)
		created, err := c.api.ContainerCreate(dctx, cfg, host, nil, nil, LockName(cluster))
		cancel()
		if err == nil {
			return Lock{ID: created.ID, Owner: o}, ctx.Err()
		}
		if !errdefs.IsConflict(err) {
			return Lock{}, fmt.Errorf("failed to create the lock of cluster %q: %w", cluster, err)
		}
		held, found, err := c.LockHolder(ctx, cluster)
		if err != nil {
			return Lock{}, err
		}
		if found {
			return held, fmt.Errorf("cluster %q: %w", cluster, ErrLocked)
		}
		select {
		case <-ctx.Done():
			return Lock{}, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return Lock{}, fmt.Errorf("failed to create the lock of cluster %q: its name stays taken", cluster)
}

// LockHolder returns the cluster's lock, when a run holds it.
func (c *Client) LockHolder(ctx context.Context, cluster string) (Lock, bool, error) {
	info, err := c.api.ContainerInspect(ctx, LockName(cluster))
	if isNotFound(err) {
		return Lock{}, false, nil
	}
	if err != nil {
		return Lock{}, false, fmt.Errorf("failed to inspect the lock of cluster %q: %w", cluster, err)
	}
	l := info.Config.Labels
	o := LockOwner{Host: l[labelLockHost], Start: l[labelLockStart]}
	o.PID, _ = strconv.Atoi(l[labelLockPID])
	o.Since, _ = time.Parse(time.RFC3339, l[labelLockSince])
	return Lock{ID: info.ID, Owner: o}, true, nil
}

// RemoveLock removes a lock container by ID; a missing one is fine.
func (c *Client) RemoveLock(ctx context.Context, id string) error {
	if err := c.api.ContainerRemove(ctx, id, container.RemoveOptions{Force: true}); err != nil && !isNotFound(err) {
		return fmt.Errorf("failed to remove lock %s: %w", id, err)
	}
	return nil
}

// detached is ctx without its cancellation, bounded: a create call must
// not be cut off half-way, or the engine may make an object whose ID the
// run never learns and so cannot undo.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
}
