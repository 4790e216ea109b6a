package testutil

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// AckWriter writes w:0, w:1, ... with SET + WAIT 1 and records the writes
// a replica acknowledged, and on which master (by its port), for "no
// acknowledged write is lost" checks. Such a check proves nothing unless
// writes were acknowledged on the master that was killed, so the only way
// to get the writes back, Acked, takes that master and a minimum.
type AckWriter struct {
	// Master returns the client of the key's master right now.
	Master func(ctx context.Context, key string) (*redis.Client, error)

	mu    sync.Mutex
	acked map[string]string
	on    map[int]int // master's port -> writes it acknowledged
	fails atomic.Int64
}

// ackWait bounds how long WaitAcked waits for the minimum.
const ackWait = time.Minute

// Run writes until ctx ends.
func (w *AckWriter) Run(ctx context.Context) {
	for i := 0; ctx.Err() == nil; i++ {
		key, val := fmt.Sprintf("w:%d", i), fmt.Sprint(i)
		if port, ok := w.write(ctx, key, val); ok {
			w.record(key, val, port)
		} else {
			w.fails.Add(1)
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// Start runs the writer in the background; stop ends it and waits.
func (w *AckWriter) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

// write sets key on its master and waits for one replica; it also asks
// the master its port (tls-port on a TLS node), on the same connection,
// to know who acknowledged.
func (w *AckWriter) write(ctx context.Context, key, val string) (port int, ok bool) {
	m, err := w.Master(ctx, key)
	if err != nil {
		return 0, false
	}
	var wait *redis.Cmd
	var cfg, tlsCfg *redis.MapStringStringCmd
	_, err = m.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, key, val, 0)
		wait = p.Do(ctx, "WAIT", 1, 1000)
		cfg, tlsCfg = p.ConfigGet(ctx, "port"), p.ConfigGet(ctx, "tls-port")
		return nil
	})
	n, _ := wait.Int64()
	port, perr := strconv.Atoi(cfg.Val()["port"])
	if port == 0 { // a TLS node: port 0, its client port is tls-port
		port, perr = strconv.Atoi(tlsCfg.Val()["tls-port"])
	}
	return port, err == nil && n >= 1 && perr == nil
}

func (w *AckWriter) record(key, val string, port int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.acked == nil {
		w.acked, w.on = map[string]string{}, map[int]int{}
	}
	w.acked[key] = val
	w.on[port]++
}

// AckedOn counts the writes acknowledged on the master listening on port.
func (w *AckWriter) AckedOn(port int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.on[port]
}

// WaitAcked waits until at least atLeast writes were acknowledged on the
// master listening on port (call it before killing that master), and
// fails t when that does not happen within a minute.
func (w *AckWriter) WaitAcked(t testing.TB, port, atLeast int) {
	t.Helper()
	deadline := time.Now().Add(ackWait)
	for w.AckedOn(port) < atLeast {
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes acknowledged on the master at port %d within %s (%d failed), want at least %d",
				w.AckedOn(port), port, ackWait, w.Fails(), atLeast)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Acked returns a copy of the acknowledged writes, after failing t unless
// at least atLeast of them were acknowledged on the master at port.
func (w *AckWriter) Acked(t testing.TB, port, atLeast int) map[string]string {
	t.Helper()
	if n := w.AckedOn(port); n < atLeast {
		t.Fatalf("only %d writes acknowledged on the master at port %d (%d failed), want at least %d", n, port, w.Fails(), atLeast)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]string, len(w.acked))
	for k, v := range w.acked {
		out[k] = v
	}
	return out
}

// Fails counts writes that failed or were not acknowledged.
func (w *AckWriter) Fails() int64 { return w.fails.Load() }

// CheckAcked reads every acknowledged write back through rdb (a cluster
// or failover client) and fails t on the first one missing or changed. A
// read that fails to connect (a client still routing to a dead node) is
// retried, after a slot map reload where rdb has one, for up to 30 s; a
// nil or different value fails at once.
func CheckAcked(t testing.TB, rdb redis.Cmdable, acked map[string]string) {
	t.Helper()
	ctx := context.Background()
	keys := make([]string, 0, len(acked))
	for k := range acked {
		keys = append(keys, k)
	}
	deadline := time.Now().Add(30 * time.Second)
	for batch := range slices.Chunk(keys, 500) {
		cmds, _ := GetMany(ctx, rdb, batch)
		for i, c := range cmds {
			got, err := c.Result()
			if err != nil && err != redis.Nil {
				got, err = getRetrying(ctx, rdb, batch[i], deadline)
			}
			if err != nil || got != acked[batch[i]] {
				t.Fatalf("LOST: acknowledged write %s=%s reads %q (%v); %d writes were acknowledged", batch[i], acked[batch[i]], got, err, len(acked))
			}
		}
	}
}

// GetMany sends GET for every key in one pipeline through rdb; each
// command holds its own reply (a missing key is redis.Nil there, not in
// the error returned, which reports a failed round trip).
func GetMany(ctx context.Context, rdb redis.Cmdable, keys []string) ([]*redis.StringCmd, error) {
	cmds := make([]*redis.StringCmd, len(keys))
	_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.Get(ctx, k)
		}
		return nil
	})
	if err == redis.Nil {
		err = nil
	}
	return cmds, err
}

func getRetrying(ctx context.Context, rdb redis.Cmdable, key string, deadline time.Time) (string, error) {
	for {
		got, err := rdb.Get(ctx, key).Result()
		if err == nil || err == redis.Nil || time.Now().After(deadline) {
			return got, err
		}
		if r, ok := rdb.(interface{ ReloadState(context.Context) }); ok {
			r.ReloadState(ctx)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
