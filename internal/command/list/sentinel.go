//go:build !nodeimage

package list

import (
	"context"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
)

// sentinelState is a sentinel group's STATE column.
func sentinelState(ctx context.Context, name string) string {
	st, err := redisdock.GetSentinelStatus(ctx, name)
	return cmdutil.Health(err == nil && st.Healthy, err)
}
