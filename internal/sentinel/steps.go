package sentinel

import (
	"context"
	"fmt"
	"net/netip"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// checkHost refuses names taken by things redis-dock did not make for
// this group, and host ports that something else listens on.
func (u *upRun) checkHost(ctx context.Context) error {
	st := u.log.Start("Checking names and host ports")
	defer st.End(false)
	u.nodes = plan(u.spec, netip.Prefix{})
	names, ports := make([]string, len(u.nodes)), make([]int, len(u.nodes))
	for i, n := range u.nodes {
		names[i], ports[i] = n.Name, n.Port
	}
	if err := cluster.CheckNames(ctx, u.o.Docker, u.spec, names); err != nil {
		return u.cr.Contended(ctx, err)
	}
	if err := cluster.CheckPorts(u.spec, ports); err != nil {
		return u.cr.Contended(ctx, err)
	}
	st.End(true)
	return nil
}

func (u *upRun) ensureImage(ctx context.Context) error { return cluster.EnsureImage(ctx, u.o, u.spec) }

// claim takes the group's lock: from here on no other run creates it.
func (u *upRun) claim(ctx context.Context) error { return u.cr.Claim(ctx, u.spec.Image) }

func (u *upRun) resolvePassword(context.Context) error { return cluster.ResolvePassword(&u.spec, u.o) }

// createNetwork makes the group's bridge network and plans the static
// addresses on it.
func (u *upRun) createNetwork(ctx context.Context) error {
	if u.spec.Network != spec.NetworkBridge {
		return nil
	}
	subnet, err := cluster.CreateNetwork(ctx, u.o, u.spec, &u.cr.Made)
	if err != nil {
		return err
	}
	u.nodes = plan(u.spec, subnet)
	return nil
}

// startNodes creates the containers of nodes, copies each one's config in
// and starts it, all at once.
func (u *upRun) startNodes(ctx context.Context, nodes []topology.Node, format string, args ...any) error {
	st := u.log.Start(format, args...)
	defer st.End(false)
	g, gctx := errgroup.WithContext(ctx)
	for _, n := range nodes {
		g.Go(func() error { return u.startNode(gctx, n) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	st.End(true)
	return nil
}

func (u *upRun) startNode(ctx context.Context, n topology.Node) error {
	path, conf, err := configFile(u.spec, u.nodes, n)
	if err != nil {
		return err
	}
	ns := u.nodeSpec(n)
	if n.Role != topology.RoleSentinel { // sentinels keep their state in sentinel.conf
		ns.Volume = docker.VolumeName(n.Name)
		created, err := u.o.Docker.CreateVolume(ctx, ns.Volume, map[string]string{docker.LabelCluster: u.spec.Name})
		if created {
			u.cr.Made.Volume(ns.Volume)
		}
		if err != nil {
			return err
		}
	}
	id, err := u.o.Docker.CreateNode(ctx, ns, []docker.File{{
		Path: path, Mode: 0o600, UID: images.UID, GID: images.GID, Data: conf,
	}})
	u.cr.Made.Container(id, n.Name)
	return cluster.PortTaken(err, n.Port, u.spec.HostIP)
}

// nodeSpec is node n's container: labelled like a cluster node, its port
// published 1:1 on the host IP, the config path in its command line.
func (u *upRun) nodeSpec(n topology.Node) docker.NodeSpec {
	cmd := []string{"redis-server", cluster.ConfigPath}
	if n.Role == topology.RoleSentinel {
		cmd = []string{"redis-server", SentinelConfigPath, "--sentinel"}
	}
	ns := docker.NodeSpec{
		Name: n.Name, Image: u.spec.Image, IP: n.IP, HostIP: u.spec.HostIP, Cmd: cmd,
		Labels:  docker.NodeLabels(u.spec.Name, n.Role, n.Port, n.Index, map[string]string{docker.LabelSpec: specLabel(u.spec)}),
		Network: cluster.NetworkName(u.spec.Name), Publish: []int{n.Port}, StopTimeout: 10,
	}
	if u.spec.Network == spec.NetworkHost {
		ns.Network, ns.Publish, ns.IP = "host", nil, netip.Addr{}
	}
	return ns
}

// readAddresses checks each node got its planned static address: the
// replicas and sentinels were configured with them.
func (u *upRun) readAddresses(ctx context.Context, nodes []topology.Node) error {
	if u.spec.Network != spec.NetworkBridge {
		return nil
	}
	for _, n := range nodes {
		ip, err := u.o.Docker.IP(ctx, n.Name, cluster.NetworkName(u.spec.Name))
		if err != nil {
			return err
		}
		if ip != n.IP {
			return fmt.Errorf("node %s got address %s, planned %s", n.Name, ip, n.IP)
		}
	}
	return nil
}
