//go:build !nodeimage

package redisx

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// keyBatch is how many keys go in one pipeline.
const keyBatch = 500

// WriteKeys sets prefix:i to i for i in 0..n-1 through a go-redis cluster
// client that finds the cluster from seeds (the node image's build uses
// the small router in keys_lite.go instead).
func WriteKeys(ctx context.Context, seeds []string, password, prefix string, n int) error {
	rdb := newClusterClient(seeds, password)
	defer rdb.Close()
	for start := 0; start < n; start += keyBatch {
		end := min(start+keyBatch, n)
		_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < end; i++ {
				p.Set(ctx, prefix+":"+strconv.Itoa(i), strconv.Itoa(i), 0)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("writing keys %s:%d..%d: %w", prefix, start, end-1, err)
		}
	}
	return nil
}

// CheckKeys reads prefix:0..n-1 back and names the first missing or wrong.
func CheckKeys(ctx context.Context, seeds []string, password, prefix string, n int) error {
	rdb := newClusterClient(seeds, password)
	defer rdb.Close()
	for start := 0; start < n; start += keyBatch {
		end := min(start+keyBatch, n)
		cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < end; i++ {
				p.Get(ctx, prefix+":"+strconv.Itoa(i))
			}
			return nil
		})
		if err != nil && err != redis.Nil {
			return fmt.Errorf("reading keys %s:%d..%d: %w", prefix, start, end-1, err)
		}
		for i, c := range cmds {
			if v, _ := c.(*redis.StringCmd).Result(); v != strconv.Itoa(start+i) {
				return fmt.Errorf("key %s:%d = %q, want %d", prefix, start+i, v, start+i)
			}
		}
	}
	return nil
}

func newClusterClient(seeds []string, password string) *redis.ClusterClient {
	return redis.NewClusterClient(&redis.ClusterOptions{
		Addrs: seeds, Password: password, DialTimeout: 2 * time.Second,
		ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second, Protocol: 2, DisableIdentity: true,
	})
}
