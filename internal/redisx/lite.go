package redisx

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"time"
)

// liteConn is a small RESP2 client: one connection, pipelined commands,
// AUTH on connect. The node image's build uses it instead of go-redis,
// which would more than double that binary; it is compiled into both builds so its tests always run.
type liteConn struct {
	addr string
	auth Auth        // user, password and, on a TLS cluster, the CA
	tls  *tls.Config // from auth.TLS; made at the first connect

	mu   sync.Mutex
	conn net.Conn
	rd   *bufio.Reader
}

// Timeouts, as for the host build's go-redis client.
const (
	dialTimeout = 2 * time.Second
	ioTimeout   = 5 * time.Second
)

// close closes the connection.
func (n *liteConn) close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.drop()
}

func (n *liteConn) drop() error {
	if n.conn == nil {
		return nil
	}
	err := n.conn.Close()
	n.conn, n.rd = nil, nil
	return err
}

// pipeline sends the commands in one round trip and returns each reply.
// A failed round trip sets every reply's error and drops the connection,
// so the next call dials again.
func (n *liteConn) pipeline(ctx context.Context, cmds ...[]any) []Reply {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]Reply, len(cmds))
	if err := n.roundTrip(ctx, cmds, out); err != nil {
		n.drop()
		for i := range out {
			out[i] = Reply{Err: err}
		}
	}
	return out
}

func (n *liteConn) roundTrip(ctx context.Context, cmds [][]any, out []Reply) error {
	if err := n.connect(ctx); err != nil {
		return err
	}
	deadline := time.Now().Add(ioTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := n.conn.SetDeadline(deadline); err != nil {
		return err
	}
	var buf []byte
	for _, c := range cmds {
		buf = appendCommand(buf, c)
	}
	if _, err := n.conn.Write(buf); err != nil {
		return err
	}
	for i := range out {
		v, err := readReply(n.rd)
		var re RedisError
		if err != nil && !errors.As(err, &re) && !errors.Is(err, errNil) {
			return err
		}
		out[i] = Reply{Val: v, Err: err}
	}
	return nil
}

// connect dials and authenticates when there is no connection.
func (n *liteConn) connect(ctx context.Context) error {
	if n.conn != nil {
		return nil
	}
	c, err := n.dial(ctx)
	if err != nil {
		return err
	}
	n.conn, n.rd = c, bufio.NewReader(c)
	if n.auth.Password == "" {
		return nil
	}
	out := make([]Reply, 1)
	auth := []any{"AUTH", n.auth.Password}
	if n.auth.User != "" {
		auth = []any{"AUTH", n.auth.User, n.auth.Password}
	}
	if err := n.roundTrip(ctx, [][]any{auth}, out); err != nil {
		return err
	}
	return out[0].Err
}
