//go:build !nodeimage

package redisdock

import (
	"context"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/sentinel"
)

// Sentinel topology: one master, replicas and sentinels (Spec.Mode
// "sentinel"). The CLI's up and status commands call these for it.
type (
	SentinelResult = sentinel.Result
	SentinelStatus = sentinel.Status
)

// UpSentinel creates a sentinel group (or confirms it is up) and returns
// once every sentinel agrees on the master and its replicas.
func UpSentinel(ctx context.Context, s Spec, opts ...Option) (*SentinelResult, error) {
	return withDocker(opts, func(o cluster.Options) (*SentinelResult, error) { return sentinel.Up(ctx, s, o) })
}

// IsSentinel reports whether the named group is a sentinel group.
func IsSentinel(ctx context.Context, name string) (bool, error) {
	return withDocker(nil, func(o cluster.Options) (bool, error) { return sentinel.IsSentinel(ctx, name, o) })
}

// GetSentinelStatus reads a sentinel group's state.
func GetSentinelStatus(ctx context.Context, name string) (*SentinelStatus, error) {
	return withDocker(nil, func(o cluster.Options) (*SentinelStatus, error) { return sentinel.GetStatus(ctx, name, o) })
}
