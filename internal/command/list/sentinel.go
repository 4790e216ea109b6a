package list

import (
	"context"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/sentinel"
)

// sentinelState is a sentinel group's STATE column.
func sentinelState(ctx context.Context, name string) string {
	d, err := docker.New()
	if err != nil {
		return "unknown"
	}
	defer d.Close()
	st, err := sentinel.GetStatus(ctx, name, cluster.Options{Docker: d})
	switch {
	case err != nil:
		return "unknown"
	case st.Healthy:
		return "healthy"
	default:
		return "unhealthy"
	}
}
