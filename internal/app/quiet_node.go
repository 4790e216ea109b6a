//go:build nodeimage

package app

// quietRedisLogs has nothing to quiet: the node image's build talks to
// Redis without go-redis.
func quietRedisLogs() {}
