package cluster

import (
	"context"
	"fmt"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// reuse handles `up` when the cluster's containers exist: the same spec
// means start what is stopped and confirm health; another spec is refused.
func (u *upRun) reuse(ctx context.Context, existing []docker.Container) (*Result, error) {
	old, ok := currentSpec(ctx, u.o.Docker, existing)
	if !ok {
		return nil, fmt.Errorf("cluster %q exists but carries no readable spec label; remove it with `redis-dock down --name %s`", u.spec.Name, u.spec.Name)
	}
	if d := u.spec.Diff(old); d != "" {
		return nil, fmt.Errorf("cluster %q already exists with another spec: %s (change its size with `redis-dock scale`, or remove it with `redis-dock down --name %s`)", u.spec.Name, d, u.spec.Name)
	}
	u.plan = planFor(u.spec)
	if len(existing) != len(u.plan.Nodes) {
		return nil, fmt.Errorf("cluster %q is incomplete: %d of %d nodes exist; remove it with `redis-dock down --name %s` and run up again", u.spec.Name, len(existing), len(u.plan.Nodes), u.spec.Name)
	}
	pw, err := ReadPassword(ctx, u.o.Docker, existing)
	if err != nil {
		return nil, err
	}
	if u.spec.PasswordFile != "" || u.spec.Password != "" {
		if _, err := u.spec.ResolvePassword(); err != nil {
			return nil, err
		}
		if u.spec.Password != pw {
			return nil, fmt.Errorf("--password: cluster %q already exists with another password", u.spec.Name)
		}
	}
	u.spec.Password = pw
	if err := u.startStopped(ctx, existing); err != nil {
		return nil, err
	}
	if u.spec.Network == spec.NetworkBridge {
		for i, n := range u.plan.Nodes {
			if u.plan.Nodes[i].IP, err = u.o.Docker.IP(ctx, n.Name, NetworkName(u.spec.Name)); err != nil {
				return nil, err
			}
		}
	}
	if err := u.bootstrap(ctx); err != nil {
		return nil, err
	}
	u.log.Infof(" • Cluster %q was already up with this spec; nothing changed", u.spec.Name)
	return &Result{Spec: u.spec, Nodes: u.plan.Nodes, Existing: true}, nil
}

func (u *upRun) startStopped(ctx context.Context, existing []docker.Container) error {
	for _, c := range existing {
		if c.Running() {
			continue
		}
		u.log.Infof(" • Starting stopped node %s", c.Name)
		if err := u.o.Docker.Start(ctx, c.ID); err != nil {
			return err
		}
	}
	return nil
}
