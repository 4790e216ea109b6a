package testutil

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// AckWriter writes w:0, w:1, ... with SET + WAIT 1 and records the writes
// a replica acknowledged, for "no acknowledged write is lost" checks.
type AckWriter struct {
	// Master returns the client of the key's master right now.
	Master func(ctx context.Context, key string) (*redis.Client, error)

	mu    sync.Mutex
	acked map[string]string
	fails atomic.Int64
}

// Run writes until ctx ends.
func (w *AckWriter) Run(ctx context.Context) {
	for i := 0; ctx.Err() == nil; i++ {
		key, val := fmt.Sprintf("w:%d", i), fmt.Sprint(i)
		if w.write(ctx, key, val) {
			w.mu.Lock()
			if w.acked == nil {
				w.acked = map[string]string{}
			}
			w.acked[key] = val
			w.mu.Unlock()
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

func (w *AckWriter) write(ctx context.Context, key, val string) bool {
	m, err := w.Master(ctx, key)
	if err != nil {
		return false
	}
	var wait *redis.Cmd
	_, err = m.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, key, val, 0)
		wait = p.Do(ctx, "WAIT", 1, 1000)
		return nil
	})
	n, _ := wait.Int64()
	return err == nil && n >= 1
}

// Acked returns a copy of the acknowledged writes.
func (w *AckWriter) Acked() map[string]string {
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
