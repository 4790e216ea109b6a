//go:build !nodeimage

// Command reshardbench measures how fast redis-dock's rebalance moves keys,
// beside `redis-cli --cluster rebalance` moving the same data on the same
// cluster:
//
//	go run ./scripts/reshardbench [-keys 200000] [-masters 4] [-value 64]
//
// It brings up a cluster without replicas, loads the keys, moves all slots
// but one of the last master to the first, and times each tool evening
// the slots out again. Keys
// moved are counted from every node's DBSIZE before and after, the same
// way for both tools. It checks every key afterwards and removes the
// cluster. The results are printed as a table, or as JSON with -json.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

type config struct {
	keys, masters, value, port, cliPipeline int
	asJSON, verbose                         bool
}

// Result is one tool's run.
type Result struct {
	Tool        string  `json:"tool"`
	Keys        int64   `json:"keysMoved"`
	Slots       int     `json:"slotsMoved"`
	Seconds     float64 `json:"seconds"`
	KeysPerSec  float64 `json:"keysPerSecond"`
	SlotsPerSec float64 `json:"slotsPerSecond"`
}

func main() {
	var c config
	flag.IntVar(&c.keys, "keys", 200000, "keys to load")
	flag.IntVar(&c.masters, "masters", 4, "masters (at least 3)")
	flag.IntVar(&c.value, "value", 64, "value size in bytes")
	flag.IntVar(&c.port, "port", 0, "first port (default: a free range)")
	flag.IntVar(&c.cliPipeline, "cli-pipeline", 10, "redis-cli --cluster-pipeline (keys per MIGRATE; redis-cli's default is 10)")
	flag.BoolVar(&c.asJSON, "json", false, "print JSON")
	flag.BoolVar(&c.verbose, "v", false, "print redis-dock's status lines")
	flag.Parse()
	if err := run(context.Background(), c); err != nil {
		fmt.Fprintf(os.Stderr, "reshardbench: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	if _, err := exec.LookPath("redis-cli"); err != nil {
		return fmt.Errorf("redis-cli is needed (apt-get install redis-tools): %w", err)
	}
	d, err := docker.New()
	if err != nil {
		return err
	}
	defer d.Close()
	log := status.Discard()
	if c.verbose {
		log = status.NewLogger(os.Stderr, 0, false)
	}
	o := cluster.Options{Docker: d, Logger: log}
	s, err := benchSpec(c)
	if err != nil {
		return err
	}
	res, err := cluster.Up(ctx, s, o)
	if err != nil {
		return err
	}
	defer func() { _, _ = cluster.Down(context.Background(), s.Name, true, o) }()
	b := &bench{c: c, o: o, name: s.Name, res: res}
	results, err := b.measure(ctx)
	if err != nil {
		return err
	}
	return report(c, results)
}

func benchSpec(c config) (spec.Spec, error) {
	s := spec.Default()
	s.Name = fmt.Sprintf("reshardbench-%d", os.Getpid())
	s.Masters, s.Replicas, s.AppendOnly = c.masters, 0, false
	s.Port = c.port
	if s.Port == 0 {
		p, err := redisdock.FreePorts(c.masters)
		if err != nil {
			return s, err
		}
		s.Port = p
	}
	return s, nil
}

func report(c config, rs []Result) error {
	if c.asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"masters": c.masters, "keys": c.keys, "valueBytes": c.value, "results": rs})
	}
	fmt.Printf("reshard benchmark: %d masters, %d keys of %d bytes, one master's slots evened out\n", c.masters, c.keys, c.value)
	for _, r := range rs {
		fmt.Printf("  %-32s moved %7d keys (%5d slots) in %7.2fs: %9.0f keys/s\n", r.Tool, r.Keys, r.Slots, r.Seconds, r.KeysPerSec)
	}
	if len(rs) == 2 && rs[1].KeysPerSec > 0 {
		fmt.Printf("  redis-dock moves keys %.1fx as fast as redis-cli\n", rs[0].KeysPerSec/rs[1].KeysPerSec)
	}
	return nil
}

// bench holds one benchmark's cluster.
type bench struct {
	c    config
	o    cluster.Options
	name string
	res  *cluster.Result
}

func (b *bench) measure(ctx context.Context) ([]Result, error) {
	if err := b.load(ctx); err != nil {
		return nil, err
	}
	var out []Result
	for _, tool := range []struct {
		name string
		run  func(context.Context) error
	}{
		{"redis-dock rebalance", b.redisDock},
		{fmt.Sprintf("redis-cli --cluster rebalance (pipeline %d)", b.c.cliPipeline), b.redisCli},
	} {
		if err := b.unbalance(ctx); err != nil {
			return nil, err
		}
		r, err := b.timed(ctx, tool.name, tool.run)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tool.name, err)
		}
		out = append(out, r)
	}
	return out, b.check(ctx)
}

// unbalance moves all slots but one of the last master to the first, with
// redis-dock's reshard (not timed). One slot stays: a master that gives
// away its last slot turns into a replica (Redis 7).
func (b *bench) unbalance(ctx context.Context) error {
	st, err := cluster.GetStatus(ctx, b.name, b.o)
	if err != nil {
		return err
	}
	first, last := b.res.Spec.Port, b.res.Spec.Port+b.c.masters-1
	for _, n := range st.Nodes {
		if n.Port == last {
			_, err = cluster.Reshard(ctx, b.name, cluster.ReshardOptions{From: last, To: first, Slots: n.SlotCount - 1}, b.o)
		}
	}
	return err
}

// timed runs one tool and counts what it moved from the nodes' own
// numbers, the same way for every tool.
func (b *bench) timed(ctx context.Context, tool string, f func(context.Context) error) (Result, error) {
	before, err := cluster.GetStatus(ctx, b.name, b.o)
	if err != nil {
		return Result{}, err
	}
	t0 := time.Now()
	if err := f(ctx); err != nil {
		return Result{}, err
	}
	el := time.Since(t0)
	after, err := cluster.GetStatus(ctx, b.name, b.o)
	if err != nil {
		return Result{}, err
	}
	r := Result{Tool: tool, Seconds: el.Seconds()}
	for i, n := range after.Nodes {
		r.Keys += max(0, n.Keys-before.Nodes[i].Keys)
		r.Slots += max(0, n.SlotCount-before.Nodes[i].SlotCount)
	}
	r.KeysPerSec, r.SlotsPerSec = float64(r.Keys)/el.Seconds(), float64(r.Slots)/el.Seconds()
	return r, nil
}

func (b *bench) redisDock(ctx context.Context) error {
	_, err := cluster.Rebalance(ctx, b.name, cluster.RebalanceOptions{}, b.o)
	return err
}

func (b *bench) redisCli(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "redis-cli", "--cluster", "rebalance", b.res.Seeds()[0],
		"--cluster-pipeline", strconv.Itoa(b.c.cliPipeline))
	cmd.Env = append(os.Environ(), "REDISCLI_AUTH="+b.res.Spec.Password)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w:\n%s", err, tail(string(out), 20))
	}
	// redis-cli leaves the last moves to gossip; wait like redis-dock does.
	return cluster.WaitHealthy(ctx, b.name, time.Minute, b.o)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func (b *bench) client() *redis.ClusterClient {
	return redis.NewClusterClient(&redis.ClusterOptions{Addrs: b.res.Seeds(), Password: b.res.Spec.Password})
}

func (b *bench) load(ctx context.Context) error {
	rdb := b.client()
	defer rdb.Close()
	val := strings.Repeat("x", b.c.value)
	for start := 0; start < b.c.keys; start += 1000 {
		_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < min(start+1000, b.c.keys); i++ {
				p.Set(ctx, "k:"+strconv.Itoa(i), val, 0)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("loading keys: %w", err)
		}
	}
	return nil
}

// check reads every key back after both runs.
func (b *bench) check(ctx context.Context) error {
	rdb := b.client()
	defer rdb.Close()
	for start := 0; start < b.c.keys; start += 1000 {
		cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < min(start+1000, b.c.keys); i++ {
				p.StrLen(ctx, "k:"+strconv.Itoa(i))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("checking keys: %w", err)
		}
		for i, c := range cmds {
			if n, _ := c.(*redis.IntCmd).Result(); n != int64(b.c.value) {
				return fmt.Errorf("key k:%d lost or changed after the moves", start+i)
			}
		}
	}
	return nil
}
