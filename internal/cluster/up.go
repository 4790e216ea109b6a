package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/tlsca"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// Result is what Up reports back.
type Result struct {
	Spec     spec.Spec // with the password filled in
	Nodes    []topology.Node
	Existing bool // the cluster was already there
	Elapsed  time.Duration
	Start    time.Duration    // creating and starting containers
	Boot     time.Duration    // forming the cluster and waiting for health
	TLS      *tlsca.Authority // the cluster's TLS material; nil without TLS
}

// Auth is how to connect to the cluster's nodes (password and TLS).
func (r *Result) Auth() redisx.Auth { return provision.Auth(r.Spec, r.TLS) }

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
	u := &upRun{spec: s, o: o, log: o.Log(), cr: provision.NewCreation(o, s.Name)}
	if err := u.checkTLS(); err != nil {
		return nil, err
	}
	res, err := u.run(ctx)
	err = u.cr.Finish(ctx, err)
	if err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(begin)
	return res, nil
}

// upRun carries one Up's state from step to step.
type upRun struct {
	spec  spec.Spec
	o     Options
	log   *status.Logger
	cr    *provision.Creation // the lock while creating, and what this run made
	fresh bool                // leave the nodes fresh, forming nothing while they start (Provision)
	joins *joiner             // forming while the nodes start
	plan  topology.Plan
	tls   *tlsca.Authority // the cluster's TLS material; nil without TLS
}

// run confirms the cluster when it exists, else creates it; when another
// run creates it at the same time, this one waits and confirms it.
func (u *upRun) run(ctx context.Context) (*Result, error) {
	return provision.CreateOrConfirm(ctx, u.cr, &u.spec, u.reuse, u.create)
}

func (u *upRun) create(ctx context.Context) (*Result, error) {
	started, err := u.provision(ctx)
	t1 := time.Now()
	if err = errors.Join(err, u.joins.wait(err != nil)); err != nil {
		return nil, u.explain(err)
	}
	if err := u.bootstrap(ctx); err != nil {
		return nil, u.explain(err)
	}
	return &Result{Spec: u.spec, Nodes: u.plan.Nodes, Start: started, Boot: time.Since(t1), TLS: u.tls}, nil
}

// provision checks the host, builds the image if needed, settles the
// password and claims the name (provision's Prepare), then makes the
// network and the nodes; it returns how long making them took.
func (u *upRun) provision(ctx context.Context) (time.Duration, error) {
	u.plan = planFor(u.spec)
	if err := u.resolveTLS(ctx); err != nil {
		return 0, err
	}
	if err := u.cr.Prepare(ctx, &u.spec, u.plan.Nodes, true); err != nil {
		return 0, err
	}
	t0 := time.Now()
	for _, step := range []func(context.Context) error{u.createNetwork, u.startNodes, u.readAddresses} {
		if err := step(ctx); err != nil {
			return 0, err
		}
	}
	return time.Since(t0), nil
}

// explain names the node behind a node's address in err (a node that
// hung or died while up formed the cluster) and says what to run next;
// up has removed what it made by the time the user reads it.
func (u *upRun) explain(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	for _, n := range u.plan.Nodes {
		if strings.Contains(err.Error(), AdminAddr(u.spec, n.Port)) {
			return fmt.Errorf("node %s failed while up formed cluster %q (did it die or hang?): %w; run `redis-dock up` again",
				n.Name, u.spec.Name, err)
		}
	}
	return fmt.Errorf("%w; run `redis-dock up` again", err)
}
