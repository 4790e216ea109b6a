//go:build !nodeimage

package redisx

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// Node is an admin connection to one redis-server. The host build talks
// through go-redis; the node image's build (tag nodeimage) through the
// small RESP client in conn_lite.go, which keeps that binary small.
type Node struct {
	Addr string
	c    *redis.Client
}

// Dial returns an admin connection (lazy: nothing is sent yet).
func Dial(addr string, a Auth) *Node { return dial(addr, a, 5*time.Second) }

// dial is the one place admin connections are made: read bounds each
// reply (and write each request).
func dial(addr string, a Auth, read time.Duration) *Node {
	cfg, failing := a.tlsConfig()
	return &Node{Addr: addr, c: redis.NewClient(&redis.Options{
		Addr: addr, Username: a.User, Password: a.Password, TLSConfig: cfg, Dialer: failing,
		DialTimeout: 2 * time.Second, ReadTimeout: read, WriteTimeout: read,
		PoolSize: 2, MaxRetries: -1, Protocol: 2, DisableIdentity: true,
	})}
}

// Close closes the connection.
func (n *Node) Close() error { return n.c.Close() }

// Client exposes the underlying client for callers that need more.
func (n *Node) Client() *redis.Client { return n.c }

// Command sends one command; the reply is a string, an int64, a []any or
// nil (with an error IsNil recognizes).
func (n *Node) Command(ctx context.Context, args ...any) (any, error) {
	return n.c.Do(ctx, args...).Result()
}

// Pipeline sends the commands in one round trip and returns each reply.
func (n *Node) Pipeline(ctx context.Context, cmds ...[]any) []Reply {
	out := make([]Reply, len(cmds))
	rc := make([]*redis.Cmd, len(cmds))
	_, _ = n.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, c := range cmds {
			rc[i] = p.Do(ctx, c...)
		}
		return nil
	})
	for i, c := range rc {
		out[i].Val, out[i].Err = c.Result() // a failed round trip sets every command's error
	}
	return out
}

// IsNil reports the error of a nil reply (a missing key).
func IsNil(err error) bool { return errors.Is(err, redis.Nil) }
