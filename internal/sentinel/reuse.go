package sentinel

import (
	"context"
	"net/netip"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
)

// reuse handles `up` when the group's containers exist: the same spec
// means start what is stopped and confirm health (whichever node is the
// master by now); another spec is refused.
func (u *upRun) reuse(ctx context.Context, existing []docker.Container) (*Result, error) {
	old, ok := provision.CurrentSpec(ctx, u.o.Docker, existing)
	u.nodes = plan(u.spec, netip.Prefix{})
	err := provision.Confirm(ctx, u.o, &u.spec, provision.Existing{
		Containers: existing, Spec: old, Labelled: ok, Noun: "containers",
		Instead: "change its image or config with `redis-dock upgrade`, or ",
	}, u.nodes)
	if err != nil {
		return nil, err
	}
	if u.tls, err = provision.ReadTLS(ctx, u.o.Docker, u.spec, existing); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, u.spec.Wait)
	defer cancel()
	if err := u.waitHealthy(ctx); err != nil {
		return nil, err
	}
	u.log.Infof(" • Sentinel group %q was already up with this spec; nothing changed", u.spec.Name)
	return &Result{Spec: u.spec, Nodes: u.nodes, Existing: true, TLS: u.tls}, nil
}
