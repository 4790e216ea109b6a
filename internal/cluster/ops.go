package cluster

import (
	"context"
	"fmt"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/tlsca"
)

// handle is a cluster found by label: its containers, spec and password.
type handle struct {
	spec  spec.Spec
	tls   *tlsca.Authority // nil without TLS
	cts   []docker.Container
	names []string
}

func open(ctx context.Context, name string, o Options) (*handle, error) {
	cts, err := provision.Find(ctx, o.Docker, name)
	if err != nil {
		return nil, err
	}
	s, ok := provision.CurrentSpec(ctx, o.Docker, cts)
	if !ok {
		return nil, fmt.Errorf("cluster %q carries no readable spec label", name)
	}
	if cts = docker.Nodes(cts); len(cts) == 0 { // helpers (compose's bootstrap) are not nodes
		return nil, fmt.Errorf("cluster %q has no node containers", name)
	}
	if s.Password, err = provision.ReadPassword(ctx, o.Docker, cts); err != nil {
		return nil, err
	}
	if s.UserPasswords, err = provision.ReadUserPasswords(ctx, o.Docker, s, cts); err != nil {
		return nil, err
	}
	h := &handle{spec: s, cts: cts}
	if h.tls, err = provision.ReadTLS(ctx, o.Docker, s, cts); err != nil {
		return nil, err
	}
	for _, c := range cts {
		h.names = append(h.names, c.Name)
	}
	return h, nil
}

// openCluster is open for the commands that work on Redis Cluster mode
// only (what names the command in the error for a sentinel group).
func openCluster(ctx context.Context, name, what string, o Options) (*handle, error) {
	h, err := open(ctx, name, o)
	if err != nil {
		return nil, err
	}
	if h.spec.Mode != "" && h.spec.Mode != spec.ModeCluster {
		return nil, fmt.Errorf("cluster %q runs in %s mode: %s works on Redis Cluster mode clusters only", name, h.spec.Mode, what)
	}
	return h, nil
}

func (h *handle) dial() []*redisx.Node {
	ns := make([]*redisx.Node, len(h.cts))
	for i, c := range h.cts {
		ns[i] = redisx.Dial(AdminAddr(h.spec, c.Port), h.auth())
	}
	return ns
}

// auth is how to connect to the cluster's nodes.
func (h *handle) auth() redisx.Auth { return provision.Auth(h.spec, h.tls) }

func (h *handle) byPort(port int) (docker.Container, bool) {
	for _, c := range h.cts {
		if c.Port == port {
			return c, true
		}
	}
	return docker.Container{}, false
}

// WaitHealthy polls a cluster until it is healthy or timeout passes.
func WaitHealthy(ctx context.Context, name string, timeout time.Duration, o Options) error {
	h, err := open(ctx, name, o)
	if err != nil {
		return err
	}
	ns := h.dial()
	defer closeAll(ns)
	return awaitHealthy(ctx, name, ns, h.names, timeout)
}

// MasterOf returns the container of the master that serves slot now.
func MasterOf(ctx context.Context, name string, slot int, o Options) (docker.Container, error) {
	h, err := open(ctx, name, o)
	if err != nil {
		return docker.Container{}, err
	}
	ns := h.dial()
	defer closeAll(ns)
	for i, n := range ns {
		if !h.cts[i].Running() {
			continue
		}
		nodes, err := n.Nodes(ctx)
		if err != nil {
			continue
		}
		for _, cn := range nodes {
			if cn.IsMaster() && !cn.Failing() && servesSlot(cn, slot) {
				if c, ok := h.byPort(cn.Port); ok {
					return c, nil
				}
			}
		}
	}
	return docker.Container{}, fmt.Errorf("no reachable master of cluster %q serves slot %d", name, slot)
}

func servesSlot(n redisx.ClusterNode, slot int) bool {
	for _, r := range n.Slots {
		if slot >= r[0] && slot <= r[1] {
			return true
		}
	}
	return false
}

// KillMaster kills (SIGKILL, like a crash) the master serving slot and
// returns its container name.
func KillMaster(ctx context.Context, name string, slot int, o Options) (string, error) {
	c, err := MasterOf(ctx, name, slot, o)
	if err != nil {
		return "", err
	}
	return c.Name, o.Docker.Kill(ctx, c.ID)
}

// StartNode starts a stopped node container by name.
func StartNode(ctx context.Context, container string, o Options) error {
	return o.Docker.Start(ctx, container)
}

// Restart restarts every node container at once and waits for health.
func Restart(ctx context.Context, name string, timeout time.Duration, o Options) error {
	h, err := open(ctx, name, o)
	if err != nil {
		return err
	}
	err = each(ctx, make([]*redisx.Node, len(h.cts)), func(ctx context.Context, i int, _ *redisx.Node) error {
		return o.Docker.Restart(ctx, h.cts[i].ID, 10)
	})
	if err != nil {
		return err
	}
	return WaitHealthy(ctx, name, timeout, o)
}
