//go:build !nodeimage

package app

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// quietRedisLogs stops go-redis logging dial retries on its own:
// redis-dock reports errors itself. Not in the node image's build, which
// links no go-redis (see nodebinary_test.go).
func quietRedisLogs() { redis.SetLogger(quietLogger{}) }

// quietLogger drops go-redis's internal log lines.
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...interface{}) {}
