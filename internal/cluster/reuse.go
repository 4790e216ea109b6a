package cluster

import (
	"context"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
)

// reuse handles `up` when the cluster's containers exist: the same spec
// means start what is stopped and confirm health; another spec is refused.
func (u *upRun) reuse(ctx context.Context, existing []docker.Container) (*Result, error) {
	old, ok := provision.CurrentSpec(ctx, u.o.Docker, existing)
	u.plan = planFor(u.spec)
	err := provision.Confirm(ctx, u.o, &u.spec, provision.Existing{
		Containers: existing, Spec: old, Labelled: ok, Noun: "nodes",
		Instead: "change its size with `redis-dock scale`, its image or config with `redis-dock upgrade`, or ",
	}, u.plan.Nodes)
	if err != nil {
		return nil, err
	}
	if u.tls, err = provision.ReadTLS(ctx, u.o.Docker, u.spec, existing); err != nil {
		return nil, err
	}
	if err := u.bootstrap(ctx); err != nil {
		return nil, err
	}
	u.log.Infof(" • Cluster %q was already up with this spec; nothing changed", u.spec.Name)
	return &Result{Spec: u.spec, Nodes: u.plan.Nodes, Existing: true, TLS: u.tls}, nil
}
