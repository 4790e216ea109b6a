package cluster

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/form"
)

// joiner forms the cluster in the background while its nodes start (see
// form.Stream): startNodes hands it each node as its container
// runs, and Up waits for it before checking health.
type joiner struct {
	s      *form.Stream
	g      *errgroup.Group
	ctx    context.Context
	cancel context.CancelFunc
}

// newJoiner returns nil when the nodes are to stay fresh (Provision).
func (u *upRun) newJoiner(ctx context.Context) *joiner {
	if u.fresh {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	g, gctx := errgroup.WithContext(ctx)
	return &joiner{s: u.former().Stream(), g: g, ctx: gctx, cancel: cancel}
}

// join starts bringing plan node i into the cluster.
func (j *joiner) join(i int) {
	if j != nil {
		j.g.Go(func() error { return j.s.Join(j.ctx, i) })
	}
}

// wait waits for every join (cancelling them first when abort) and
// closes the stream; safe on nil and more than once.
func (j *joiner) wait(abort bool) error {
	if j == nil || j.s == nil {
		return nil
	}
	if abort {
		j.cancel()
	}
	err := j.g.Wait()
	j.cancel()
	j.s.Close()
	j.s = nil
	return err
}
