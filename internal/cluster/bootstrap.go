package cluster

import (
	"context"
	"fmt"

	"github.com/redis-dock/redis-dock/internal/form"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
)

// pollInterval is how often health is polled.
const pollInterval = form.PollInterval

// Health is the verdict on a cluster (see form.Health).
type Health = form.Health

// CheckHealth looks at every node once, concurrently.
func CheckHealth(ctx context.Context, ns []*redisx.Node, names []string) Health {
	return form.CheckHealth(ctx, ns, names)
}

func closeAll(ns []*redisx.Node) { form.CloseAll(ns) }

func each(ctx context.Context, ns []*redisx.Node, f func(context.Context, int, *redisx.Node) error) error {
	return form.Each(ctx, ns, f)
}

// former describes this run's nodes to the bootstrap package.
func (u *upRun) former() *form.Cluster {
	c := &form.Cluster{Name: u.spec.Name, User: u.spec.AdminUser(), Password: u.spec.Password, TLS: provision.Auth(u.spec, u.tls).TLS,
		Wait: u.spec.Wait, Log: u.log, Gone: u.gone}
	for _, n := range u.plan.Nodes {
		c.Members = append(c.Members, form.Member{Node: n, Admin: AdminAddr(u.spec, n.Port), PeerIP: u.peerAddr(n)})
	}
	return c
}

// bootstrap forms the cluster and waits until it is healthy.
func (u *upRun) bootstrap(ctx context.Context) error { return u.former().Run(ctx) }

func describeMaps(maps map[string][]string) string { return form.DescribeMaps(maps) }

// gone reports a node container of this cluster that exited while up
// waits for it: no wait can end healthy then, so up fails at once (and
// removes what it made) instead of at the end of --wait.
func (u *upRun) gone(ctx context.Context) error {
	cts, err := u.o.Docker.List(ctx, u.spec.Name)
	if err != nil {
		return nil // the engine's trouble shows elsewhere; keep waiting
	}
	for _, c := range cts {
		if c.State == "exited" || c.State == "dead" {
			return fmt.Errorf("node %s died while up was forming cluster %q (container %s): see `docker logs %s`",
				c.Name, u.spec.Name, c.State, c.Name)
		}
	}
	return nil
}
