package sentinel

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/portcheck"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// checkHost refuses names taken by things redis-dock did not make for
// this group, and host ports that something else listens on.
func (u *upRun) checkHost(ctx context.Context) error {
	st := u.log.Start("Checking names and host ports")
	defer st.End(false)
	u.nodes = plan(u.spec, netip.Prefix{})
	for _, n := range u.nodes {
		labels, found, err := u.o.Docker.ContainerLabels(ctx, n.Name)
		if err != nil {
			return err
		}
		if found && labels[docker.LabelCluster] != u.spec.Name {
			return fmt.Errorf("--name %s: a container named %q already exists and does not belong to this group; remove it or choose another --name or --port", u.spec.Name, n.Name)
		}
	}
	if u.spec.Network == spec.NetworkBridge {
		net := cluster.NetworkName(u.spec.Name)
		owner, found, err := u.o.Docker.NetworkOwner(ctx, net)
		if err != nil {
			return err
		}
		if found && owner != u.spec.Name {
			return fmt.Errorf("--name %s: a network named %q already exists and does not belong to this group", u.spec.Name, net)
		}
	}
	host := u.spec.HostIP
	if u.spec.Network == spec.NetworkHost {
		host = u.spec.BindAddress()
	}
	for _, n := range u.nodes {
		if err := portcheck.Free(host, n.Port); err != nil {
			return fmt.Errorf("--port: %w (%w)", err, cluster.ErrPortInUse)
		}
	}
	st.End(true)
	return nil
}

func (u *upRun) ensureImage(ctx context.Context) error {
	_, err := nodeimage.Ensure(ctx, u.o.Docker, u.spec.Image, images.Options{RedisBinary: u.spec.RedisBinary}, u.log)
	return err
}

func (u *upRun) resolvePassword(context.Context) error {
	generated, err := u.spec.ResolvePassword()
	if generated {
		u.log.V(1, " • Generated a random password (print it with: redis-dock password --name %s)", u.spec.Name)
	}
	return err
}

// createNetwork makes the group's bridge network on a free subnet, so
// every node gets a static address that survives restarts, and plans the
// addresses on it.
func (u *upRun) createNetwork(ctx context.Context) error {
	if u.spec.Network != spec.NetworkBridge {
		return nil
	}
	name := cluster.NetworkName(u.spec.Name)
	st := u.log.Start("Creating network %s", name)
	defer st.End(false)
	labels := map[string]string{docker.LabelCluster: u.spec.Name}
	var err error
	for try := 0; try < 8; try++ {
		var subnet netip.Prefix
		if subnet, err = u.pickSubnet(ctx); err != nil {
			return err
		}
		if err = u.o.Docker.CreateNetwork(ctx, name, subnet, labels); err == nil {
			u.nodes = plan(u.spec, subnet)
			st.End(true)
			return nil
		}
		if !errors.Is(err, docker.ErrSubnetOverlap) || u.spec.Subnet != "" {
			return err
		}
	}
	return err
}

func (u *upRun) pickSubnet(ctx context.Context) (netip.Prefix, error) {
	if u.spec.Subnet != "" {
		return netip.MustParsePrefix(u.spec.Subnet).Masked(), nil
	}
	used, err := u.o.Docker.UsedSubnets(ctx)
	if err != nil {
		return netip.Prefix{}, err
	}
	return docker.FreeSubnet(used)
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
		if err := u.o.Docker.CreateVolume(ctx, ns.Volume, map[string]string{docker.LabelCluster: u.spec.Name}); err != nil {
			return err
		}
	}
	_, err = u.o.Docker.CreateNode(ctx, ns, []docker.File{{
		Path: path, Mode: 0o600, UID: images.UID, GID: images.GID, Data: conf,
	}})
	if err != nil && (strings.Contains(err.Error(), "already allocated") || strings.Contains(err.Error(), "address already in use")) {
		return fmt.Errorf("--port: host port %d was taken while starting: %w (%w)", n.Port, err, cluster.ErrPortInUse)
	}
	return err
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
