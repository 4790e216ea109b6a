//go:build nodeimage

package redisx

import (
	"context"
	"errors"
	"time"
)

// Node is an admin connection to one redis-server, through the small
// RESP client in lite.go (see there why not go-redis).
type Node struct {
	Addr string
	c    *liteConn
}

// Dial returns an admin connection (lazy: nothing is sent yet).
func Dial(addr string, a Auth) *Node {
	return &Node{Addr: addr, c: &liteConn{addr: addr, auth: a}}
}

// dial is Dial: the small client has no read deadline of its own to set
// (DialSlow's pipelines are sent by the host binary only).
func dial(addr string, a Auth, _ time.Duration) *Node { return Dial(addr, a) }

// Close closes the connection.
func (n *Node) Close() error { return n.c.close() }

// Command sends one command; the reply is a string, an int64, a []any or
// nil (with an error IsNil recognizes).
func (n *Node) Command(ctx context.Context, args ...any) (any, error) {
	r := n.c.pipeline(ctx, args)
	return r[0].Val, r[0].Err
}

// Pipeline sends the commands in one round trip and returns each reply.
func (n *Node) Pipeline(ctx context.Context, cmds ...[]any) []Reply {
	return n.c.pipeline(ctx, cmds...)
}

// IsNil reports the error of a nil reply (a missing key).
func IsNil(err error) bool { return errors.Is(err, errNil) }
