//go:build !nodeimage

package redisdock

import (
	"context"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
)

// Operations on a running cluster made by Up, by name (day-2 work). The CLI's scale,
// rebalance, failover, heal and upgrade commands call these.
type (
	ScaleOptions     = cluster.ScaleOptions
	ScaleResult      = cluster.ScaleResult
	RebalanceOptions = cluster.RebalanceOptions
	RebalanceResult  = cluster.RebalanceResult
	FailoverOptions  = cluster.FailoverOptions
	FailoverResult   = cluster.FailoverResult
	HealOptions      = cluster.HealOptions
	HealResult       = cluster.HealResult
	UpgradeOptions   = cluster.UpgradeOptions
	UpgradeResult    = cluster.UpgradeResult
)

// connect returns the options for a call: a new Docker client, which the
// caller closes, and opts applied.
func connect(opts []Option) (cluster.Options, error) {
	d, err := docker.New()
	if err != nil {
		return cluster.Options{}, err
	}
	o := cluster.Options{Docker: d}
	for _, opt := range opts {
		opt(&o)
	}
	return o, nil
}

// withDocker runs f with a Docker client and the options applied.
func withDocker[T any](opts []Option, f func(cluster.Options) (T, error)) (T, error) {
	o, err := connect(opts)
	if err != nil {
		var zero T
		return zero, err
	}
	defer o.Docker.Close()
	return f(o)
}

// keepingDocker is withDocker for calls whose result holds the client (a
// Cluster or SentinelGroup closes it): it is closed only when f fails.
func keepingDocker[T any](opts []Option, f func(cluster.Options) (T, error)) (T, error) {
	o, err := connect(opts)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := f(o)
	if err != nil {
		o.Docker.Close()
	}
	return v, err
}

// Scale changes the number of masters and replicas while the cluster
// serves: new nodes join, slots and keys move live, leaving masters are
// drained, forgotten and removed.
func Scale(ctx context.Context, name string, so ScaleOptions, opts ...Option) (*ScaleResult, error) {
	return withDocker(opts, func(o cluster.Options) (*ScaleResult, error) { return cluster.Scale(ctx, name, so, o) })
}

// Rebalance moves slots until every master owns an even share.
func Rebalance(ctx context.Context, name string, ro RebalanceOptions, opts ...Option) (*RebalanceResult, error) {
	return withDocker(opts, func(o cluster.Options) (*RebalanceResult, error) { return cluster.Rebalance(ctx, name, ro, o) })
}

// Failover promotes the replica on port (CLUSTER FAILOVER, FORCE when
// asked, for a master that is down).
func Failover(ctx context.Context, name string, port int, fo FailoverOptions, opts ...Option) (*FailoverResult, error) {
	return withDocker(opts, func(o cluster.Options) (*FailoverResult, error) { return cluster.Failover(ctx, name, port, fo, o) })
}

// Heal re-meets moved nodes, closes open slots and re-replicates orphans.
func Heal(ctx context.Context, name string, ho HealOptions, opts ...Option) (*HealResult, error) {
	return withDocker(opts, func(o cluster.Options) (*HealResult, error) { return cluster.Heal(ctx, name, ho, o) })
}

// Upgrade rolls a new node image and/or config through the cluster while
// it serves: replicas first, then each master after a failover to its
// upgraded replica; settings Redis takes at runtime without a restart.
// Running it again resumes an interrupted upgrade.
func Upgrade(ctx context.Context, name string, uo UpgradeOptions, opts ...Option) (*UpgradeResult, error) {
	return withDocker(opts, func(o cluster.Options) (*UpgradeResult, error) { return cluster.Upgrade(ctx, name, uo, o) })
}

// Upgrade rolls a new image and/or config through this cluster (see the
// package function Upgrade), then has Client() reload its slot map: the
// masters have changed.
func (c *Cluster) Upgrade(ctx context.Context, uo UpgradeOptions) (*UpgradeResult, error) {
	res, err := cluster.Upgrade(ctx, c.spec.Name, uo, c.opts())
	c.reload(ctx)
	return res, err
}
