package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// Result is what Up reports back.
type Result struct {
	Spec     spec.Spec // with the password filled in
	Nodes    []topology.Node
	Existing bool // the cluster was already there
	Elapsed  time.Duration
	Start    time.Duration // creating and starting containers
	Boot     time.Duration // forming the cluster and waiting for health
}

// Seeds are the host-side addresses of every node.
func (r *Result) Seeds() []string {
	out := make([]string, len(r.Nodes))
	for i, n := range r.Nodes {
		out[i] = AdminAddr(r.Spec, n.Port)
	}
	return out
}

// Up brings a cluster to health: it creates what is missing, or confirms
// that a cluster with the same spec is already there.
func Up(ctx context.Context, s spec.Spec, o Options) (*Result, error) {
	begin := time.Now()
	if s.Mode == spec.ModeSentinel {
		return nil, errors.New("--mode sentinel: this builds Redis Clusters; sentinel groups are built by `redis-dock up --mode sentinel` (package internal/sentinel)")
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	u := &upRun{spec: s, o: o, log: o.log()}
	res, err := u.run(ctx)
	err = u.undo(ctx, err)
	if res != nil {
		res.Elapsed = time.Since(begin)
	}
	return res, err
}

// undo removes what a failed run created, unless --retain.
func (u *upRun) undo(ctx context.Context, err error) error {
	if err == nil || !u.created || u.o.Retain {
		return err
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if _, derr := u.o.Docker.RemoveCluster(cctx, u.spec.Name, true); derr != nil {
		return errors.Join(err, fmt.Errorf("cleanup also failed: %w", derr))
	}
	u.log.Infof(" • Removed what this run created (use --retain to keep it)")
	return err
}

// upRun carries one Up's state from step to step.
type upRun struct {
	spec    spec.Spec
	o       Options
	log     *cli.Logger
	created bool
	fresh   bool    // leave the nodes fresh, forming nothing while they start (Provision)
	joins   *joiner // forming while the nodes start
	plan    topology.Plan
}

func (u *upRun) run(ctx context.Context) (*Result, error) {
	if err := u.o.Docker.Ping(ctx); err != nil {
		return nil, err
	}
	existing, err := u.o.Docker.List(ctx, u.spec.Name)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return u.reuse(ctx, existing)
	}
	return u.create(ctx)
}

func (u *upRun) create(ctx context.Context) (*Result, error) {
	started, err := u.provision(ctx)
	t1 := time.Now()
	if err = errors.Join(err, u.joins.wait(err != nil)); err != nil {
		return nil, err
	}
	if err := u.bootstrap(ctx); err != nil {
		return nil, err
	}
	return &Result{Spec: u.spec, Nodes: u.plan.Nodes, Start: started, Boot: time.Since(t1)}, nil
}

// provision checks the host, then makes the network and the nodes; it
// returns how long making them took.
func (u *upRun) provision(ctx context.Context) (time.Duration, error) {
	steps := []func(context.Context) error{
		u.checkHost, u.ensureImage, u.resolvePassword,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return 0, err
		}
	}
	u.created = true
	t0 := time.Now()
	for _, step := range []func(context.Context) error{u.createNetwork, u.startNodes, u.readAddresses} {
		if err := step(ctx); err != nil {
			return 0, err
		}
	}
	return time.Since(t0), nil
}
