package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/portcheck"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

// bench runs the measurements and keeps their results.
type bench struct {
	d      *docker.Client
	opt    options
	log    *status.Logger
	track  *tracker
	res    *results
	prefix string // bench-<random>, the start of every cluster name
}

func (b *bench) clusterOptions() cluster.Options {
	return cluster.Options{Docker: b.d, Logger: b.log}
}

// spec is an N-node cluster (replicas 1) with a unique name and free
// host ports, recorded for cleanup before anything is created.
func (b *bench) spec(kind string, n, round int) (spec.Spec, error) {
	s := spec.Default()
	s.Name = fmt.Sprintf("%s-%s%d-%d", b.prefix, kind, n, round)
	s.Masters, s.Replicas = n/2, 1
	s.Image, s.Wait = b.opt.image, b.opt.wait
	port, err := freePorts(s.HostIP, n)
	if err != nil {
		return s, err
	}
	s.Port = port
	b.track.add(s.Name)
	return s, nil
}

// freePorts finds n consecutive free ports on host in 30000-54999, so
// that bus ports (port+10000) stay valid.
func freePorts(host string, n int) (int, error) {
	for try := 0; try < 200; try++ {
		base := 30000 + rand.IntN(25000-n)
		free := true
		for p := base; p < base+n && free; p++ {
			free = portcheck.Free(host, p) == nil
		}
		if free {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no %d consecutive free ports on %s", n, host)
}

// retryPorts runs f again (up to twice) when a port it was given was
// taken meanwhile, as happens when other tests run.
func retryPorts(f func() error) error {
	err := f()
	for try := 0; try < 2 && errors.Is(err, cluster.ErrPortInUse); try++ {
		err = f()
	}
	return err
}

// redisDock times cluster.Up to healthy (with --tls: certificates made,
// every node speaking TLS only), then cluster.Down.
func (b *bench) redisDock(ctx context.Context, n, round int, tls bool) (string, error) {
	var res *cluster.Result
	var name string
	kind, total, start, boot, down := "rd", rdTotal, rdStart, rdBoot, rdDown
	if tls {
		kind, total, start, boot, down = "tls", tlsTotal, tlsStart, tlsBoot, tlsDown
	}
	err := retryPorts(func() error {
		s, err := b.spec(kind, n, round)
		if err != nil {
			return err
		}
		s.TLS = tls
		name = s.Name
		res, err = cluster.Up(ctx, s, b.clusterOptions())
		return err
	})
	if err != nil {
		return "", err
	}
	t := time.Now()
	_, err = cluster.Down(ctx, name, true, b.clusterOptions())
	took := time.Since(t)
	if err = b.track.tolerate(name, err); err != nil {
		return "", err
	}
	b.track.done(name)
	b.res.add(total, n, res.Elapsed)
	b.res.add(start, n, res.Start)
	b.res.add(boot, n, res.Boot)
	b.res.add(down, n, took)
	what := "redis-dock"
	if tls {
		what = "redis-dock --tls"
	}
	return fmt.Sprintf("%s %s (start %s, boot %s, down %s)", what, seconds(res.Elapsed), seconds(res.Start), seconds(res.Boot), seconds(took)), nil
}

// provision starts N fresh nodes as Up would and waits for PING.
func (b *bench) provision(ctx context.Context, kind string, n, round int) (*cluster.Result, error) {
	var res *cluster.Result
	err := retryPorts(func() error {
		s, err := b.spec(kind, n, round)
		if err != nil {
			return err
		}
		res, err = cluster.Provision(ctx, s, b.clusterOptions())
		return err
	})
	return res, err
}

// floor times Docker's part alone: the network and the same containers
// (image, config copy, volumes, published ports), up to PING.
func (b *bench) floor(ctx context.Context, n, round int) (string, error) {
	res, err := b.provision(ctx, "fl", n, round)
	if err != nil {
		return "", err
	}
	if err := b.track.remove(ctx, res.Spec.Name); err != nil {
		return "", err
	}
	b.res.add(floorTotal, n, res.Start+res.Boot)
	b.res.add(floorStart, n, res.Start)
	b.res.add(floorPing, n, res.Boot)
	return fmt.Sprintf("floor %s (start %s, ping %s)", seconds(res.Start+res.Boot), seconds(res.Start), seconds(res.Boot)), nil
}

// redisCli starts fresh nodes, then times `redis-cli --cluster create`
// given their network addresses, and on until every node reports
// cluster_state:ok.
func (b *bench) redisCli(ctx context.Context, n, round int) (string, error) {
	res, err := b.provision(ctx, "cli", n, round)
	if err != nil {
		return "", err
	}
	var addrs []string
	for _, nd := range res.Nodes {
		addrs = append(addrs, net.JoinHostPort(nd.IP.String(), strconv.Itoa(nd.Port)))
	}
	wctx, cancel := context.WithTimeout(ctx, b.opt.wait)
	defer cancel()
	t := time.Now()
	if err := b.runCli(wctx, addrs, res.Spec.Password); err != nil {
		return "", err
	}
	ran := time.Since(t)
	if err := waitAllOK(wctx, res.Seeds(), res.Spec.Password); err != nil {
		return "", err
	}
	ok := time.Since(t)
	if err := b.track.remove(ctx, res.Spec.Name); err != nil {
		return "", err
	}
	b.res.add(cliUp, n, res.Elapsed)
	b.res.add(cliCreate, n, ran)
	b.res.add(cliOK, n, ok)
	return fmt.Sprintf("redis-cli up %s, create %s, ok %s", seconds(res.Elapsed), seconds(ran), seconds(ok)), nil
}

func (b *bench) runCli(ctx context.Context, addrs []string, password string) error {
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "1", "--cluster-yes")
	cmd := exec.CommandContext(ctx, b.opt.redisCli, args...)
	cmd.Env = append(os.Environ(), "REDISCLI_AUTH="+password)
	out, err := cmd.CombinedOutput()
	b.log.V(2, "%s", out)
	if err != nil || strings.Contains(string(out), "[ERR]") {
		return fmt.Errorf("redis-cli --cluster create failed: %v: %s", err, tail(string(out), 800))
	}
	return nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// waitAllOK polls every node until it reports cluster_state:ok.
func waitAllOK(ctx context.Context, addrs []string, password string) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, a := range addrs {
		g.Go(func() error {
			n := redisx.Dial(a, redisx.Auth{Password: password})
			defer n.Close()
			for {
				info, err := n.ClusterInfo(gctx)
				if err == nil && info["cluster_state"] == "ok" {
					return nil
				}
				select {
				case <-gctx.Done():
					return fmt.Errorf("node %s not cluster_state:ok: %v %v", a, info["cluster_state"], err)
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
	}
	return g.Wait()
}

// imageBuild times building the node image from the host's redis-server
// with no layer cache, into a tag of its own (not :latest), and reports
// its size; the tag is removed again.
func (b *bench) imageBuild(ctx context.Context, round int) (int64, string, error) {
	server, err := exec.LookPath("redis-server")
	if err != nil {
		return 0, "", fmt.Errorf("no redis-server on PATH to build the node image from: %w", err)
	}
	node, err := images.FindNodeBinary()
	if err != nil {
		return 0, "", err
	}
	ref := fmt.Sprintf("%s:%s-%d", images.Repo, b.prefix, round)
	b.track.addImage(ref)
	t := time.Now()
	bc, err := images.NewContext(images.Options{RedisBinary: server, NodeBinary: node})
	if err != nil {
		return 0, "", err
	}
	bc.Tags, bc.NoCache = []string{ref}, true
	if err := b.d.BuildImage(ctx, bc, b.log); err != nil {
		return 0, "", err
	}
	took := time.Since(t)
	info, err := b.d.ImageInspect(ctx, ref)
	if err != nil {
		return 0, "", err
	}
	if err := b.track.removeImage(ctx, ref); err != nil {
		return 0, "", err
	}
	b.res.add(imgBuild, 0, took)
	return info.Size, fmt.Sprintf("image build %s, %.1f MB", seconds(took), float64(info.Size)/1e6), nil
}
