package list

import (
	"context"

	redisdock "github.com/redis-dock/redis-dock"
)

// sentinelState is a sentinel group's STATE column.
func sentinelState(ctx context.Context, name string) string {
	st, err := redisdock.GetSentinelStatus(ctx, name)
	switch {
	case err != nil:
		return "unknown"
	case st.Healthy:
		return "healthy"
	default:
		return "unhealthy"
	}
}
