package sentinel

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// reuse handles `up` when the group's containers exist: the same spec
// means start what is stopped and confirm health (whichever node is the
// master by now); another spec is refused.
func (u *upRun) reuse(ctx context.Context, existing []docker.Container) (*Result, error) {
	old, ok := parseSpecLabel(existing[0].Labels)
	if !ok {
		return nil, fmt.Errorf("cluster %q exists but carries no readable spec label; remove it with `redis-dock down --name %s`", u.spec.Name, u.spec.Name)
	}
	if d := u.spec.Diff(old); d != "" {
		return nil, fmt.Errorf("cluster %q already exists with another spec: %s (remove it with `redis-dock down --name %s`)", u.spec.Name, d, u.spec.Name)
	}
	u.nodes = plan(u.spec, netip.Prefix{})
	if len(existing) != len(u.nodes) {
		return nil, fmt.Errorf("cluster %q is incomplete: %d of %d containers exist; remove it with `redis-dock down --name %s` and run up again", u.spec.Name, len(existing), len(u.nodes), u.spec.Name)
	}
	pw, err := cluster.ReadPassword(ctx, u.o.Docker, existing)
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
	for _, c := range existing {
		if !c.Running() {
			u.log.Infof(" • Starting stopped node %s", c.Name)
			if err := u.o.Docker.Start(ctx, c.ID); err != nil {
				return nil, err
			}
		}
	}
	if u.spec.Network == spec.NetworkBridge {
		for i, n := range u.nodes {
			if u.nodes[i].IP, err = u.o.Docker.IP(ctx, n.Name, cluster.NetworkName(u.spec.Name)); err != nil {
				return nil, err
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, u.spec.Wait)
	defer cancel()
	if err := u.waitHealthy(ctx); err != nil {
		return nil, err
	}
	u.log.Infof(" • Sentinel group %q was already up with this spec; nothing changed", u.spec.Name)
	return &Result{Spec: u.spec, Nodes: u.nodes, Existing: true}, nil
}
