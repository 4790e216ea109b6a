package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// ErrBusy marks the error of an `up` that found another run creating the
// same cluster and gave up waiting for it.
var ErrBusy = errors.New("another run is creating this cluster")

// errAppeared says the cluster's nodes appeared between a run's look and
// its claim: another run made them, so this one confirms them instead.
var errAppeared = errors.New("the cluster was created meanwhile")

// Creation is one run's hold on a cluster name (`up` while it creates
// the cluster, `scale` while it changes it) and the record of what it
// created. Runs of the same name exclude each other with the cluster's
// lock (see docker.Lock); a run's undo removes what it made, by ID, never
// what carries the cluster's label, so it cannot remove another run's
// nodes.
type Creation struct {
	Made docker.Made
	o    Options
	name string
	lock *docker.Lock
}

// NewCreation starts the record of one run creating cluster name.
func NewCreation(o Options, name string) *Creation { return &Creation{o: o, name: name} }

// Run is `up`'s outline for every topology: wait while another run
// creates the cluster, then call attempt with the cluster's nodes (none:
// create it; some: confirm them). When attempt loses the claim to another
// run (IsClaimLost), it starts over, to wait for that run and confirm.
func (c *Creation) Run(ctx context.Context, wait time.Duration, attempt func(context.Context, []docker.Container) error) error {
	for try := 0; ; try++ {
		if err := c.Await(ctx, wait); err != nil {
			return err
		}
		existing, err := c.o.Docker.List(ctx, c.name)
		if err != nil {
			return err
		}
		err = attempt(ctx, existing)
		if !IsClaimLost(err) || try == 3 {
			return err
		}
	}
}

// Await waits while another run that is still alive holds the cluster's
// lock, at most wait; a lock whose run has ended is removed.
func (c *Creation) Await(ctx context.Context, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for waiting := false; ; {
		l, found, err := c.o.Docker.LockHolder(ctx, c.name)
		if err != nil || !found {
			return err
		}
		if gone(l.Owner) {
			c.o.log().Infof(" • Removing the lock of a run that ended (pid %d, since %s)", l.Owner.PID, l.Owner.Since.Format(time.TimeOnly))
			if err := c.o.Docker.RemoveLock(ctx, l.ID); err != nil {
				return err
			}
			continue
		}
		if time.Now().After(deadline) {
			return c.busy(l.Owner, wait)
		}
		if !waiting {
			waiting = true
			c.o.log().Infof(" • Another run (pid %d on %s) is creating or scaling cluster %q: waiting for it", l.Owner.PID, l.Owner.Host, c.name)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (c *Creation) busy(o docker.LockOwner, wait time.Duration) error {
	return fmt.Errorf("--name %s: %w: pid %d on %s, since %s, did not finish within --wait %s; run up again later to confirm the cluster is up, or if that run is gone, remove what it left with `redis-dock down --name %s`",
		c.name, ErrBusy, o.PID, o.Host, o.Since.Format(time.TimeOnly), wait, c.name)
}

// Claim takes the cluster's lock for this run (image is any local image).
// It returns an error wrapping docker.ErrLocked when another run holds
// it, and errAppeared when the cluster's nodes exist by now.
func (c *Creation) Claim(ctx context.Context, image string) error {
	l, err := c.o.Docker.CreateLock(ctx, c.name, image, self())
	c.keep(l, err)
	if err != nil {
		c.release(ctx)
		return err
	}
	existing, err := c.o.Docker.List(ctx, c.name)
	if err == nil && len(existing) > 0 {
		err = errAppeared
	}
	if err != nil {
		c.release(ctx)
	}
	return err
}

// Contended turns a failed host check into errAppeared when another run
// holds the lock or has made the cluster meanwhile: its nodes hold the
// names and ports, and this run should wait for it and confirm.
func (c *Creation) Contended(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	_, locked, lerr := c.o.Docker.LockHolder(ctx, c.name)
	cts, cerr := c.o.Docker.List(ctx, c.name)
	if (lerr == nil && locked) || (cerr == nil && len(cts) > 0) {
		return fmt.Errorf("%w (%v)", errAppeared, err)
	}
	return err
}

// Hold takes the lock of an existing cluster for a run that changes it
// (scale), image being any local image (a node's); another run holding
// it is an error naming that run.
func (c *Creation) Hold(ctx context.Context, image string) error {
	for try := 0; ; try++ {
		l, err := c.o.Docker.CreateLock(ctx, c.name, image, self())
		c.keep(l, err)
		if err == nil {
			return nil
		}
		if !errors.Is(err, docker.ErrLocked) {
			c.release(ctx)
			return err
		}
		if !gone(l.Owner) || try == 3 {
			return fmt.Errorf("--name %s: another run (pid %d on %s, since %s) is creating or scaling cluster %q; wait for it to end, then run this again (%w)",
				c.name, l.Owner.PID, l.Owner.Host, l.Owner.Since.Format(time.TimeOnly), c.name, ErrBusy)
		}
		if err := c.o.Docker.RemoveLock(ctx, l.ID); err != nil {
			return err
		}
	}
}

// keep records the lock CreateLock made, even when an error (a cancelled
// ctx) came with it; with ErrLocked, l is another run's lock.
func (c *Creation) keep(l docker.Lock, err error) {
	if l.ID != "" && !errors.Is(err, docker.ErrLocked) {
		c.lock = &l
	}
}

// IsClaimLost reports whether Claim failed because another run holds the
// lock or made the cluster meanwhile: the run should wait and confirm.
func IsClaimLost(err error) bool {
	return errors.Is(err, docker.ErrLocked) || errors.Is(err, errAppeared)
}

// Finish ends the run: when err is not nil it removes what the run made
// (unless Options.Retain), saying what; then it releases the lock.
func (c *Creation) Finish(ctx context.Context, err error) error {
	if err != nil && !c.Made.Empty() {
		err = c.undo(ctx, err)
	}
	c.release(ctx)
	return err
}

func (c *Creation) undo(ctx context.Context, err error) error {
	what := "Failed"
	if ctx.Err() != nil {
		what = "Interrupted"
	}
	if c.o.Retain {
		c.o.log().Infof(" • %s: kept what this run created (--retain): %s", what, &c.Made)
		return err
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute) // ctx may be cancelled
	defer cancel()
	if derr := c.o.Docker.RemoveMade(cctx, &c.Made); derr != nil {
		return errors.Join(err, fmt.Errorf("cleanup also failed: %w", derr))
	}
	c.o.log().Infof(" • %s: removed what this run created (use --retain to keep it): %s", what, &c.Made)
	return err
}

func (c *Creation) release(ctx context.Context) {
	if c.lock == nil {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := c.o.Docker.RemoveLock(cctx, c.lock.ID); err != nil {
		c.o.log().Warnf("%v (remove it with `redis-dock down --name %s`)", err, c.name)
	}
	c.lock = nil
}

// self names this process as a lock's owner.
func self() docker.LockOwner {
	host, _ := os.Hostname()
	return docker.LockOwner{Host: host, PID: os.Getpid(), Start: procStart(os.Getpid()), Since: time.Now()}
}

// gone reports whether a lock's run has certainly ended: it ran on this
// host, and no process with its PID and start time runs now. A run on
// another host (a remote engine) cannot be checked: it counts as alive.
func gone(o docker.LockOwner) bool {
	host, _ := os.Hostname()
	if o.Host != host || o.PID <= 0 || procStart(os.Getpid()) == "" {
		return false
	}
	start := procStart(o.PID)
	return start == "" || (o.Start != "" && start != o.Start)
}

// procStart is a process's start time in clock ticks since boot (field
// 22 of /proc/<pid>/stat), "" when there is no such process or no /proc:
// with the PID it names one process, even after the PID is reused.
func procStart(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:]) // from field 3 on
	if len(f) < 20 {
		return ""
	}
	return f[19]
}
