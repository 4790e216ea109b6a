package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// Provision makes a cluster's network and nodes exactly as Up does and
// waits until every node answers PING, but forms no cluster: the nodes
// are fresh, as `redis-cli --cluster create` wants them. The benchmark
// uses it for the redis-cli path and for Docker's floor. In the Result,
// Start is making the network and nodes, Boot the wait for PING. Like
// Up, it removes what it made when it fails, unless o.Retain.
func Provision(ctx context.Context, s spec.Spec, o Options) (*Result, error) {
	begin := time.Now()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	u := &upRun{spec: s, o: o, log: o.Log(), fresh: true, cr: provision.NewCreation(o, s.Name)}
	res, err := u.provisionOnly(ctx)
	if err = u.cr.Finish(ctx, err); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(begin)
	return res, nil
}

func (u *upRun) provisionOnly(ctx context.Context) (*Result, error) {
	if err := u.o.Docker.Ping(ctx); err != nil {
		return nil, err
	}
	existing, err := u.o.Docker.List(ctx, u.spec.Name)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, fmt.Errorf("--name %s: cluster already exists; remove it with `redis-dock down --name %s`", u.spec.Name, u.spec.Name)
	}
	started, err := u.provision(ctx)
	if errors.Is(err, provision.ErrAppeared) {
		return nil, fmt.Errorf("--name %s: %w", u.spec.Name, ErrBusy)
	}
	if err != nil {
		return nil, err
	}
	t1 := time.Now()
	wctx, cancel := context.WithTimeout(ctx, u.spec.Wait)
	defer cancel()
	ns := u.former().Dial()
	defer closeAll(ns)
	err = each(wctx, ns, func(ctx context.Context, _ int, n *redisx.Node) error { return n.WaitPing(ctx, pollInterval) })
	if err != nil {
		return nil, err
	}
	return &Result{Spec: u.spec, Nodes: u.plan.Nodes, Start: started, Boot: time.Since(t1)}, nil
}
