//go:build !nodeimage

package redisdock

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/sentinel"
)

// SentinelGroup is a running sentinel group (one master, replicas and
// sentinels) made by NewSentinelGroup.
type SentinelGroup struct {
	res    *sentinel.Result
	docker *docker.Client
	client *redis.Client
	before string // the master's container before the last KillMaster
}

// NewSentinelGroup creates a sentinel group from s (Mode "sentinel"), or
// confirms it is up, and returns it once every sentinel agrees on the
// master. Down removes it; Close only lets go of it.
// redisdocktest.StartSentinel makes one for a test.
func NewSentinelGroup(ctx context.Context, s Spec, opts ...Option) (*SentinelGroup, error) {
	return keepingDocker(opts, func(o cluster.Options) (*SentinelGroup, error) {
		res, err := sentinel.Up(ctx, s, o)
		if err != nil {
			return nil, err
		}
		return &SentinelGroup{res: res, docker: o.Docker}, nil
	})
}

func (g *SentinelGroup) opts() cluster.Options { return cluster.Options{Docker: g.docker} }

// Name is the group's name, which is also the master name clients give
// the sentinels.
func (g *SentinelGroup) Name() string { return g.res.MasterName() }

// SentinelAddrs are the sentinels' host-side addresses.
func (g *SentinelGroup) SentinelAddrs() []string { return g.res.SentinelAddrs() }

// Password is the group's password (nodes and sentinels).
func (g *SentinelGroup) Password() string { return g.res.Spec.Password }

// Client returns a client from redis.NewFailoverClient: it asks the
// sentinels where the master is and follows it after a failover. Close
// closes it.
func (g *SentinelGroup) Client() *redis.Client {
	if g.client == nil {
		o := &redis.FailoverOptions{
			MasterName: g.Name(), SentinelAddrs: g.SentinelAddrs(),
			Username: g.res.Spec.AdminUser(), Password: g.Password(), SentinelPassword: g.Password(), DialTimeout: 2 * time.Second,
		}
		if t := g.res.Auth().TLS; t != nil {
			o.TLSConfig, _ = t.Config() // the group's own CA: made by redis-dock, PEM
		}
		g.client = redis.NewFailoverClient(o)
	}
	return g.client
}

// Close closes the client and the Docker connection; the group stays.
// Do not use g after Close.
func (g *SentinelGroup) Close() error {
	closeClient(&g.client)
	return g.docker.Close()
}

// Down removes the group and its volumes, and closes g.
func (g *SentinelGroup) Down(ctx context.Context) error {
	closeClient(&g.client)
	defer g.docker.Close()
	_, err := cluster.Down(ctx, g.Name(), true, g.opts())
	if errors.Is(err, docker.ErrStaleEndpoints) {
		return nil
	}
	return err
}

// KillMaster kills (SIGKILL) the container of the node that is master
// now and returns its name; the sentinels promote a replica.
func (g *SentinelGroup) KillMaster(ctx context.Context) (string, error) {
	m, err := sentinel.Master(ctx, g.Name(), g.opts())
	if err != nil {
		return "", err
	}
	g.before = m.Name
	return m.Name, g.docker.Kill(ctx, m.ID)
}

// StartNode starts a stopped or killed node's container (by name) again;
// a replaced master comes back as a replica.
func (g *SentinelGroup) StartNode(ctx context.Context, node string) error {
	return g.docker.Start(ctx, node)
}

// WaitFailover waits until another node than the one KillMaster killed is
// the only master and Client() writes to it. It waits until ctx's
// deadline, or the spec's Wait without one.
func (g *SentinelGroup) WaitFailover(ctx context.Context) (FaultNode, error) {
	timeout := g.res.Spec.Wait
	if d, ok := ctx.Deadline(); ok {
		timeout = time.Until(d)
	}
	deadline := time.Now().Add(timeout)
	for {
		why := ""
		m, err := sentinel.Master(ctx, g.Name(), g.opts())
		switch {
		case err != nil:
			why = err.Error()
		case m.Name == g.before:
			why = fmt.Sprintf("%s is still the master", m.Name)
		default:
			if err := g.Client().Del(ctx, cluster.ProbePrefix+"sentinel").Err(); err != nil {
				why = fmt.Sprintf("%s is master, but the client cannot write yet: %v", m.Name, err)
			} else {
				return FaultNode{Container: m.Name, Port: m.Port, Role: "master"}, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return FaultNode{}, fmt.Errorf("sentinel group %q did not fail over within %s: %s", g.Name(), timeout, why)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// WaitHealthy waits until every node and sentinel is back and agrees.
func (g *SentinelGroup) WaitHealthy(ctx context.Context, timeout time.Duration) error {
	return sentinel.WaitHealthy(ctx, g.Name(), timeout, g.opts())
}
