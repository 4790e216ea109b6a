// Command bench measures how long redis-dock takes to bring a Redis
// Cluster from nothing to healthy, next to the redis-cli path (the same
// nodes, then `redis-cli --cluster create`) and to Docker's own floor
// (the same containers up to PING, no cluster). `make bench` runs it; it
// prints a table of medians and min-max over rounds. Everything it makes
// carries the redis-dock.cluster label with a name of its own and is
// removed at the end, also on error or interrupt.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// options are the command-line flags.
type options struct {
	sizes    []int
	rounds   int
	kinds    []string
	image    string
	redisCli string
	build    bool
	wait     time.Duration
	verbose  int
}

// Kinds of measurement, in the order a round runs them first.
const (
	kindRedisDock = "redis-dock"
	kindRedisCli  = "redis-cli"
	kindFloor     = "floor"
	kindTLS       = "tls" // redis-dock up --tls
)

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("n", "6,30,60", "cluster sizes (nodes, even, >= 6; replicas 1), comma-separated")
	kinds := fs.String("kinds", "redis-dock,tls,redis-cli,floor", "what to measure, comma-separated (tls: redis-dock up --tls)")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds per size")
	fs.StringVar(&o.image, "image", spec.DefaultNodeImage(), "node image (built when missing)")
	fs.StringVar(&o.redisCli, "redis-cli", "redis-cli", "redis-cli to run --cluster create with")
	fs.BoolVar(&o.build, "image-build", true, "also time a no-cache build of the node image (into a tag of its own)")
	fs.DurationVar(&o.wait, "wait", 3*time.Minute, "deadline of each cluster to become healthy")
	fs.IntVar(&o.verbose, "v", 0, "verbosity of redis-dock's own output (stderr)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.sizes, err = parseSizes(*sizes); err != nil {
		return o, err
	}
	if o.kinds, err = parseKinds(*kinds); err != nil {
		return o, err
	}
	if o.rounds < 1 {
		return o, fmt.Errorf("-rounds %d: need at least 1", o.rounds)
	}
	return o, nil
}

// parseSizes reads "6,30,60": node counts, even and at least 6, since
// every cluster has replicas 1 and at least 3 masters.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 6 || n%2 != 0 {
			return nil, fmt.Errorf("-n %q: want even node counts of at least 6, such as 6,30,60", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseKinds(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		switch k := strings.TrimSpace(f); k {
		case kindRedisDock, kindTLS, kindRedisCli, kindFloor:
			out = append(out, k)
		default:
			return nil, fmt.Errorf("-kinds %q: allowed are redis-dock, tls, redis-cli and floor", s)
		}
	}
	return out, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "ERROR:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	d, err := docker.New()
	if err != nil {
		fmt.Fprintln(stderr, "ERROR:", err)
		return 1
	}
	defer d.Close()
	b := &bench{d: d, opt: o, log: status.NewLogger(stderr, o.verbose, o.verbose == 0),
		track: newTracker(d), res: newResults(o.sizes), prefix: "bench-" + randomHex(4)}
	err = b.runAll(ctx, stderr)
	interrupted := ctx.Err() != nil
	stop()
	if n, cerr := b.track.cleanup(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("cleanup: %w", cerr))
	} else if n > 0 {
		fmt.Fprintf(stderr, "removed %d leftover clusters/images\n", n)
	}
	b.report(stdout)
	if err != nil {
		fmt.Fprintln(stderr, "ERROR:", err)
		if interrupted {
			return 130
		}
		return 1
	}
	return 0
}

func (b *bench) runAll(ctx context.Context, stderr io.Writer) error {
	if err := b.d.Ping(ctx); err != nil {
		return err
	}
	useBuiltNodeBinary()
	if _, err := nodeimage.Ensure(ctx, b.d, b.opt.image, images.Options{}, b.log); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "bench %s: sizes %v, %d rounds, %d CPUs, load %s\n", b.prefix, b.opt.sizes, b.opt.rounds, runtime.NumCPU(), loadAvg())
	if b.opt.build {
		for r := 0; r < b.opt.rounds; r++ {
			size, line, err := b.imageBuild(ctx, r)
			if err != nil {
				return err
			}
			b.res.add("image.size", 0, time.Duration(size))
			fmt.Fprintf(stderr, "  round %d: %s\n", r+1, line)
		}
	}
	for _, n := range b.opt.sizes {
		for r := 0; r < b.opt.rounds; r++ {
			for _, k := range rotate(b.opt.kinds, r) {
				line, err := b.measure(ctx, k, n, r)
				if err != nil {
					return fmt.Errorf("N=%d round %d, %s: %w", n, r+1, k, err)
				}
				fmt.Fprintf(stderr, "  N=%d round %d: %s\n", n, r+1, line)
			}
		}
	}
	return nil
}

func (b *bench) measure(ctx context.Context, kind string, n, round int) (string, error) {
	switch kind {
	case kindRedisDock:
		return b.redisDock(ctx, n, round, false)
	case kindTLS:
		return b.redisDock(ctx, n, round, true)
	case kindRedisCli:
		return b.redisCli(ctx, n, round)
	default:
		return b.floor(ctx, n, round)
	}
}

// rotate starts round r at a different kind, so that no kind always runs
// right after the same other one on a machine whose load drifts.
func rotate(kinds []string, r int) []string {
	out := make([]string, 0, len(kinds))
	for i := range kinds {
		out = append(out, kinds[(i+r)%len(kinds)])
	}
	return out
}

// report prints the table and the image figures.
func (b *bench) report(w io.Writer) {
	if len(b.res.data) == 0 {
		return
	}
	fmt.Fprintf(w, "\nredis-dock bench %s, %d rounds, %d CPUs, load %s\n\n", time.Now().Format(time.DateTime), b.opt.rounds, runtime.NumCPU(), loadAvg())
	b.res.table().render(w)
	if stuck := b.track.stuckNetworks(); len(stuck) > 0 {
		fmt.Fprintf(w, "\nengine: %d of the networks made were left behind with a stale endpoint count (Docker 20.10 bug; a dockerd restart clears them): %s\n",
			len(stuck), strings.Join(stuck, ", "))
	}
	if builds := b.res.get(imgBuild, 0); len(builds) > 0 {
		size := b.res.get("image.size", 0).median()
		fmt.Fprintf(w, "\nnode image: %.1f MB, no-cache build %s s\n", float64(size)/1e6, cell(builds))
	}
}

// useBuiltNodeBinary points the image code at bin/redis-dock-node (made
// by `make build`) when nothing else is set, as `go run` leaves no
// node binary beside the running program.
func useBuiltNodeBinary() {
	if os.Getenv(images.NodeBinaryEnv) != "" {
		return
	}
	p, err := filepath.Abs(filepath.Join("bin", images.NodeBinaryName))
	if _, serr := os.Stat(p); err == nil && serr == nil {
		os.Setenv(images.NodeBinaryEnv, p)
	}
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
