package redisx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/topology"
)

// router sends key commands to the master serving each key's slot, over
// liteConn: the node image's stand-in for go-redis's cluster client. It
// reads the slot map from CLUSTER NODES and reads it again after a
// redirect or a failed connection (a failover), retrying the batch.
type router struct {
	seeds []string
	auth  Auth
	conns map[string]*liteConn
	owner [16384]string
}

func newRouter(seeds []string, a Auth) *router {
	return &router{seeds: seeds, auth: a, conns: map[string]*liteConn{}}
}

func (r *router) close() {
	for _, c := range r.conns {
		c.close()
	}
}

func (r *router) conn(addr string) *liteConn {
	c, ok := r.conns[addr]
	if !ok {
		c = &liteConn{addr: addr, auth: r.auth}
		r.conns[addr] = c
	}
	return c
}

// refresh reads the slot map from the first seed (or known node) that answers.
func (r *router) refresh(ctx context.Context) error {
	var last error
	for _, addr := range append(append([]string{}, r.seeds...), r.known()...) {
		s, err := r.conn(addr).pipeline(ctx, []any{"CLUSTER", "NODES"})[0].Text()
		if err == nil {
			var nodes []ClusterNode
			if nodes, err = ParseNodes(s); err == nil {
				r.load(nodes)
				return nil
			}
		}
		last = err
	}
	return fmt.Errorf("no node answered CLUSTER NODES: %w", last)
}

func (r *router) known() []string {
	var out []string
	for a := range r.conns {
		out = append(out, a)
	}
	return out
}

func (r *router) load(nodes []ClusterNode) {
	r.owner = [16384]string{}
	for _, n := range nodes {
		if !n.IsMaster() || n.Failing() {
			continue
		}
		addr := net.JoinHostPort(n.IP, strconv.Itoa(n.Port))
		for _, s := range n.Slots {
			for slot := s[0]; slot <= s[1]; slot++ {
				r.owner[slot] = addr
			}
		}
	}
}

// do runs one command per key (made by cmd) and returns the replies in
// key order, retrying for up to 30 s while the cluster moves slots.
func (r *router) do(ctx context.Context, keys []string, cmd func(key string) []any) ([]Reply, error) {
	var last error
	for try := 0; try < 150; try++ {
		if try > 0 {
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("%w (last: %v)", ctx.Err(), last)
			case <-time.After(200 * time.Millisecond):
			}
		}
		if err := r.refresh(ctx); err != nil {
			last = err
			continue
		}
		out, err := r.once(ctx, keys, cmd)
		if err == nil {
			return out, nil
		}
		last = err
	}
	return nil, last
}

func (r *router) once(ctx context.Context, keys []string, cmd func(string) []any) ([]Reply, error) {
	byOwner := map[string][]int{}
	for i, k := range keys {
		o := r.owner[Slot(k)]
		if o == "" {
			return nil, fmt.Errorf("no master serves slot %d", Slot(k))
		}
		byOwner[o] = append(byOwner[o], i)
	}
	out := make([]Reply, len(keys))
	for addr, idx := range byOwner {
		cmds := make([][]any, len(idx))
		for j, i := range idx {
			cmds[j] = cmd(keys[i])
		}
		for j, rep := range r.conn(addr).pipeline(ctx, cmds...) {
			if rep.Err != nil && !errors.Is(rep.Err, errNil) && retryable(rep.Err) {
				return nil, fmt.Errorf("%s: %w", addr, rep.Err)
			}
			out[idx[j]] = rep
		}
	}
	return out, nil
}

// retryable reports errors that a fresh slot map and a pause cure.
func retryable(err error) bool {
	var re RedisError
	if !errors.As(err, &re) {
		return true // the connection failed: a node may be failing over
	}
	for _, p := range []string{"MOVED", "ASK", "TRYAGAIN", "CLUSTERDOWN", "LOADING", "MASTERDOWN"} {
		if strings.HasPrefix(string(re), p) {
			return true
		}
	}
	return false
}

// Slot is the hash slot of key, honouring {hash tags}.
func Slot(key string) int { return topology.KeySlot(key) }

// liteWriteKeys and liteCheckKeys are WriteKeys and CheckKeys over router.
func liteWriteKeys(ctx context.Context, seeds []string, a Auth, prefix string, n int) error {
	return liteKeys(ctx, seeds, a, prefix, n, true)
}

func liteCheckKeys(ctx context.Context, seeds []string, a Auth, prefix string, n int) error {
	return liteKeys(ctx, seeds, a, prefix, n, false)
}

func liteKeys(ctx context.Context, seeds []string, a Auth, prefix string, n int, write bool) error {
	r := newRouter(seeds, a)
	defer r.close()
	const batch = 500
	for start := 0; start < n; start += batch {
		keys := make([]string, 0, batch)
		for i := start; i < min(start+batch, n); i++ {
			keys = append(keys, prefix+":"+strconv.Itoa(i))
		}
		cmd := func(k string) []any { return []any{"GET", k} }
		if write {
			cmd = func(k string) []any { return []any{"SET", k, k[len(prefix)+1:]} }
		}
		out, err := r.do(ctx, keys, cmd)
		if err != nil {
			return fmt.Errorf("keys %s:%d..%d: %w", prefix, start, start+len(keys)-1, err)
		}
		for i, rep := range out {
			want := "OK"
			if !write {
				want = strconv.Itoa(start + i)
			}
			if v, _ := rep.Text(); v != want {
				return fmt.Errorf("key %s: %q (%v), want %q", keys[i], v, rep.Err, want)
			}
		}
	}
	return nil
}
