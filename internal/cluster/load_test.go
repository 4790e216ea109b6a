package cluster

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// liveLoad reads and writes through a go-redis ClusterClient while a test
// changes the cluster, and records every error the client returns (the
// redirects it follows are not errors) and every value that is not the
// last one written. Each worker owns the base keys i%workers == w, so it
// knows what each of them must hold; it also creates new keys, which land
// on importing nodes through ASK while slots move.
type liveLoad struct {
	rdb     *redis.ClusterClient
	keys    int
	workers []*loadWorker
	ops     atomic.Int64
	writes  atomic.Int64
	mu      sync.Mutex
	errs    []string
	stop    context.CancelFunc
	done    sync.WaitGroup
}

type loadWorker struct {
	id      int
	version map[int]int // base key -> version last written
	unsure  map[int]int // base key -> version of a write whose outcome is unknown
	created int         // new keys n:<id>:0..created-1 written
}

// minLoadOps and minLoadWrites are the least work a load must have done
// (while the cluster changed) for "no error, nothing lost" to mean much.
const (
	minLoadOps    = 1000
	minLoadWrites = 200
)

func baseKey(i int) string          { return "k:" + strconv.Itoa(i) }
func baseVal(i, version int) string { return fmt.Sprintf("%d:%d", i, version) }
func newKey(w, j int) string        { return fmt.Sprintf("n:%d:%d", w, j) }

// fail records an error the client returned; errors of the command in
// flight when the test stops the load (context canceled) do not count.
func (l *liveLoad) fail(ctx context.Context, format string, args ...any) {
	if ctx.Err() != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.errs) < 20 {
		l.errs = append(l.errs, time.Now().Format("15:04:05.000 ")+fmt.Sprintf(format, args...))
	}
}

// startLoad writes keys base keys, then starts workers goroutines.
func startLoad(t *testing.T, seeds []string, password string, keys, workers int) *liveLoad {
	t.Helper()
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: seeds, Password: password})
	l := &liveLoad{rdb: rdb, keys: keys}
	ctx := context.Background()
	for start := 0; start < keys; start += 1000 {
		_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < min(start+1000, keys); i++ {
				p.Set(ctx, baseKey(i), baseVal(i, 0), 0)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("loading keys: %v", err)
		}
	}
	wctx, cancel := context.WithCancel(ctx)
	l.stop = cancel
	for w := 0; w < workers; w++ {
		lw := &loadWorker{id: w, version: map[int]int{}, unsure: map[int]int{}}
		l.workers = append(l.workers, lw)
		l.done.Add(1)
		go func() { defer l.done.Done(); l.run(wctx, lw, workers) }()
	}
	return l
}

func (l *liveLoad) run(ctx context.Context, w *loadWorker, workers int) {
	for ctx.Err() == nil {
		i := rand.IntN(l.keys/workers)*workers + w.id
		if i >= l.keys {
			continue
		}
		switch rand.IntN(4) {
		case 0:
			v := w.version[i] + 1
			if err := l.rdb.Set(ctx, baseKey(i), baseVal(i, v), 0).Err(); err != nil {
				l.fail(ctx, "SET %s: %v", baseKey(i), err)
				w.unsure[i] = v
				continue
			}
			w.version[i] = v
			delete(w.unsure, i)
			l.writes.Add(1)
		case 1:
			if err := l.rdb.Set(ctx, newKey(w.id, w.created), "new", 0).Err(); err != nil {
				l.fail(ctx, "SET %s: %v", newKey(w.id, w.created), err)
				continue
			}
			w.created++
			l.writes.Add(1)
		default:
			got, err := l.rdb.Get(ctx, baseKey(i)).Result()
			if err != nil {
				l.fail(ctx, "GET %s: %v", baseKey(i), err)
				continue
			}
			if !w.valid(i, got) {
				l.fail(ctx, "GET %s = %q, want %q", baseKey(i), got, baseVal(i, w.version[i]))
			}
		}
		l.ops.Add(1)
	}
}

func (w *loadWorker) valid(i int, got string) bool {
	if got == baseVal(i, w.version[i]) {
		return true
	}
	v, ok := w.unsure[i]
	return ok && got == baseVal(i, v)
}

// finish stops the workers, reads every key back through a new client
// and fails the test on any error seen meanwhile or any key lost or
// changed.
func (l *liveLoad) finish(t *testing.T, seeds []string, password string) {
	t.Helper()
	l.stop()
	l.done.Wait()
	l.rdb.Close()
	t.Logf("load: %d operations (%d writes) by %d workers", l.ops.Load(), l.writes.Load(), len(l.workers))
	if l.ops.Load() < minLoadOps || l.writes.Load() < minLoadWrites {
		t.Errorf("the load ran %d operations (%d writes), want at least %d (%d writes): it proves nothing about the change it ran across",
			l.ops.Load(), l.writes.Load(), minLoadOps, minLoadWrites)
	}
	if len(l.errs) > 0 {
		t.Errorf("the client saw %d+ errors, first ones:\n%s", len(l.errs), strings.Join(l.errs, "\n"))
	}
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: seeds, Password: password})
	defer rdb.Close()
	want := map[string]func(string) bool{}
	for _, w := range l.workers {
		for i := w.id; i < l.keys; i += len(l.workers) {
			want[baseKey(i)] = func(got string) bool { return w.valid(i, got) }
		}
		for j := 0; j < w.created; j++ {
			want[newKey(w.id, j)] = func(got string) bool { return got == "new" }
		}
	}
	checkAll(t, rdb, want)
}

func checkAll(t *testing.T, rdb *redis.ClusterClient, want map[string]func(string) bool) {
	t.Helper()
	ctx := context.Background()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	bad := 0
	for chunk := range slices.Chunk(keys, 1000) {
		cmds, err := testutil.GetMany(ctx, rdb, chunk)
		if err != nil {
			t.Fatalf("reading keys back: %v", err)
		}
		for i, c := range cmds {
			if got, _ := c.Result(); !want[chunk[i]](got) {
				if bad++; bad <= 5 {
					t.Errorf("key %s = %q after the changes", chunk[i], got)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d keys lost or changed", bad, len(keys))
	}
}

// coveragePoller asks nodes for CLUSTER SLOTS every interval and records
// every answer that does not cover all 16384 slots. Nodes that do not
// answer (being removed) are skipped.
type coveragePoller struct {
	nodes []*redis.Client
	rdb   *redis.ClusterClient
	polls atomic.Int64
	mu    sync.Mutex
	gaps  []string
	stop  context.CancelFunc
	done  chan struct{}
}

// minCoveragePolls is the least number of coverage polls that counts.
const minCoveragePolls = 10

func startCoverage(addrs []string, password string, rdb *redis.ClusterClient) *coveragePoller {
	p := &coveragePoller{rdb: rdb, done: make(chan struct{})}
	for _, a := range addrs {
		p.nodes = append(p.nodes, redis.NewClient(&redis.Options{Addr: a, Password: password, DialTimeout: time.Second, MaxRetries: -1}))
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.stop = cancel
	go p.loop(ctx)
	return p
}

func (p *coveragePoller) loop(ctx context.Context) {
	defer close(p.done)
	for ctx.Err() == nil {
		for _, n := range p.nodes {
			p.check(ctx, n.Options().Addr, n.ClusterSlots(ctx))
		}
		p.check(ctx, "the client's node", p.rdb.ClusterSlots(ctx))
		p.polls.Add(1)
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (p *coveragePoller) check(ctx context.Context, who string, cmd *redis.ClusterSlotsCmd) {
	slots, err := cmd.Result()
	var ne net.Error
	if err != nil && (ctx.Err() != nil || errors.As(err, &ne) || strings.Contains(err.Error(), "connection refused")) {
		return
	}
	covered := 0
	for _, s := range slots {
		covered += s.End - s.Start + 1
	}
	if err != nil || covered != 16384 {
		p.mu.Lock()
		if len(p.gaps) < 10 {
			p.gaps = append(p.gaps, fmt.Sprintf("%s: %d slots covered (%v)", who, covered, err))
		}
		p.mu.Unlock()
	}
}

func (p *coveragePoller) finish(t *testing.T) {
	t.Helper()
	p.stop()
	<-p.done
	for _, n := range p.nodes {
		n.Close()
	}
	t.Logf("coverage: %d polls", p.polls.Load())
	if p.polls.Load() < minCoveragePolls {
		t.Errorf("coverage was polled %d times, want at least %d", p.polls.Load(), minCoveragePolls)
	}
	if len(p.gaps) > 0 {
		t.Errorf("slots were not all covered at some polls:\n%s", strings.Join(p.gaps, "\n"))
	}
}
