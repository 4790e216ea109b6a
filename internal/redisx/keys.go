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
func WriteKeys(ctx context.Context, seeds []string, a Auth, prefix string, n int) error {
	return inBatches(ctx, seeds, a, "writing", prefix, n, func(p redis.Pipeliner, key, val string) {
		p.Set(ctx, key, val, 0)
	}, nil)
}

// CheckKeys reads prefix:0..n-1 back and names the first missing or wrong.
func CheckKeys(ctx context.Context, seeds []string, a Auth, prefix string, n int) error {
	return inBatches(ctx, seeds, a, "reading", prefix, n, func(p redis.Pipeliner, key, _ string) {
		p.Get(ctx, key)
	}, func(key, want string, c redis.Cmder) error {
		if v, _ := c.(*redis.StringCmd).Result(); v != want {
			return fmt.Errorf("key %s = %q, want %s", key, v, want)
		}
		return nil
	})
}

// inBatches queues one command (add) for each key prefix:i whose value is
// i, i in 0..n-1, in pipelines of keyBatch, and hands each reply to check
// when it is not nil.
func inBatches(ctx context.Context, seeds []string, a Auth, what, prefix string, n int,
	add func(p redis.Pipeliner, key, val string), check func(key, val string, c redis.Cmder) error) error {
	rdb := NewClusterClient(seeds, a, nil)
	defer rdb.Close()
	key := func(i int) string { return prefix + ":" + strconv.Itoa(i) }
	for start := 0; start < n; start += keyBatch {
		end := min(start+keyBatch, n)
		cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < end; i++ {
				add(p, key(i), strconv.Itoa(i))
			}
			return nil
		})
		if err != nil && err != redis.Nil {
			return fmt.Errorf("%s keys %s:%d..%d: %w", what, prefix, start, end-1, err)
		}
		for i, c := range cmds {
			if check == nil {
				break
			}
			if err := check(key(start+i), strconv.Itoa(start+i), c); err != nil {
				return err
			}
		}
	}
	return nil
}

// NewClusterClient is the one place cluster clients are made: seeded with
// seeds, a's password and TLS configuration, the rest from o (may be nil;
// zero timeouts get the admin connections' ones). The caller closes it.
func NewClusterClient(seeds []string, a Auth, o *redis.ClusterOptions) *redis.ClusterClient {
	opt := redis.ClusterOptions{Protocol: 2, DisableIdentity: true}
	if o != nil {
		opt = *o
	}
	opt.Addrs, opt.Username, opt.Password = seeds, a.User, a.Password
	opt.TLSConfig, opt.Dialer = a.tlsConfig()
	if opt.DialTimeout == 0 {
		opt.DialTimeout = 2 * time.Second
	}
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = 5 * time.Second
	}
	if opt.WriteTimeout == 0 {
		opt.WriteTimeout = 5 * time.Second
	}
	return redis.NewClusterClient(&opt)
}
