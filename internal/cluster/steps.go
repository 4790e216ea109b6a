package cluster

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/portcheck"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// checkHost refuses names taken by things redis-dock did not make for
// this cluster, and host ports that something else listens on.
func (u *upRun) checkHost(ctx context.Context) error {
	st := u.log.Start("Checking names and host ports")
	defer st.End(false)
	u.plan = planFor(u.spec)
	names := make([]string, len(u.plan.Nodes))
	for i, n := range u.plan.Nodes {
		names[i] = n.Name
	}
	owners, err := u.o.Docker.ContainerOwners(ctx, names)
	if err != nil {
		return err
	}
	for _, n := range u.plan.Nodes {
		if owner, found := owners[n.Name]; found && owner != u.spec.Name {
			return fmt.Errorf("--name %s: a container named %q already exists and does not belong to this cluster; remove it or choose another --name or --port", u.spec.Name, n.Name)
		}
	}
	if u.spec.Network == spec.NetworkBridge {
		owner, found, err := u.o.Docker.NetworkOwner(ctx, NetworkName(u.spec.Name))
		if err != nil {
			return err
		}
		if found && owner != u.spec.Name {
			return fmt.Errorf("--name %s: a network named %q already exists and does not belong to this cluster", u.spec.Name, NetworkName(u.spec.Name))
		}
	}
	if err := u.checkPorts(); err != nil {
		return err
	}
	st.End(true)
	return nil
}

func (u *upRun) checkPorts() error {
	host := u.spec.HostIP
	var ports []int
	for _, n := range u.plan.Nodes {
		ports = append(ports, n.Port)
		if u.spec.Network == spec.NetworkHost {
			ports = append(ports, n.BusPort)
		}
	}
	flag := "--port"
	if u.spec.Network == spec.NetworkHost {
		host, flag = u.spec.BindAddress(), "--port/--bus-port"
	}
	for _, p := range ports {
		if err := portcheck.Free(host, p); err != nil {
			return fmt.Errorf("%s: %w (%w)", flag, err, ErrPortInUse)
		}
	}
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

// createNetwork makes the cluster's bridge network on a free subnet, so
// every node gets a static address that survives restarts.
func (u *upRun) createNetwork(ctx context.Context) error {
	if u.spec.Network != spec.NetworkBridge {
		return nil
	}
	st := u.log.Start("Creating network %s", NetworkName(u.spec.Name))
	defer st.End(false)
	labels := map[string]string{docker.LabelCluster: u.spec.Name}
	var err error
	for try := 0; try < 8; try++ {
		var subnet netip.Prefix
		if subnet, err = u.pickSubnet(ctx); err != nil {
			return err
		}
		err = u.o.Docker.CreateNetwork(ctx, NetworkName(u.spec.Name), subnet, labels)
		if err == nil {
			u.plan = topology.New(topology.Params{Cluster: u.spec.Name, Masters: u.spec.Masters, Replicas: u.spec.Replicas,
				Port: u.spec.Port, BusPort: u.spec.FirstBusPort(), Subnet: subnet})
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

// startNodes creates every node's volume and container, copies its
// config in and starts it: all masters at once, then all replicas, so
// that the masters' writable delay (see bootstrap.Stream) runs while the
// replicas start. Unless the nodes are to stay fresh, each node joins the
// cluster as soon as it runs.
func (u *upRun) startNodes(ctx context.Context) error {
	st := u.log.Start("Starting %d nodes", len(u.plan.Nodes))
	defer st.End(false)
	u.joins = u.newJoiner(ctx)
	masters := len(u.plan.Masters())
	mastersUp := make(chan struct{})
	if masters == 0 {
		close(mastersUp)
	}
	var started atomic.Int32
	g, gctx := errgroup.WithContext(ctx)
	for _, n := range u.plan.Nodes {
		g.Go(func() error {
			if n.Role != topology.RoleMaster {
				select {
				case <-mastersUp:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			if err := u.startNode(gctx, n); err != nil {
				return err
			}
			if n.Role == topology.RoleMaster && int(started.Add(1)) == masters {
				close(mastersUp)
			}
			u.joins.join(n.Index)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	st.End(true)
	return nil
}

func (u *upRun) startNode(ctx context.Context, n topology.Node) error {
	conf, err := renderNode(u.spec, n)
	if err != nil {
		return err
	}
	vol := docker.VolumeName(n.Name)
	if err := u.o.Docker.CreateVolume(ctx, vol, map[string]string{docker.LabelCluster: u.spec.Name}); err != nil {
		return err
	}
	_, err = u.o.Docker.CreateNode(ctx, u.nodeSpec(n, vol), []docker.File{{
		Path: ConfigPath, Mode: 0o600, UID: images.UID, GID: images.GID, Data: conf,
	}})
	if err != nil && (strings.Contains(err.Error(), "already allocated") || strings.Contains(err.Error(), "address already in use")) {
		return fmt.Errorf("--port: host port %d on %s was taken while starting: %w (%w)", n.Port, u.spec.HostIP, err, ErrPortInUse)
	}
	return err
}

func (u *upRun) nodeSpec(n topology.Node, vol string) docker.NodeSpec {
	ns := docker.NodeSpec{
		Name: n.Name, Image: u.spec.Image, Volume: vol, IP: n.IP, HostIP: u.spec.HostIP,
		Cmd:     []string{"redis-server", ConfigPath},
		Labels:  docker.NodeLabels(u.spec.Name, n.Role, n.Port, n.Index, map[string]string{docker.LabelSpec: specLabel(u.spec)}),
		Network: NetworkName(u.spec.Name), Publish: []int{n.Port}, StopTimeout: 10,
	}
	if u.spec.Network == spec.NetworkHost {
		ns.Network, ns.Publish, ns.IP = "host", nil, netip.Addr{}
	}
	return ns
}

// readAddresses reads each node's address from the engine and checks it
// is the planned static one.
func (u *upRun) readAddresses(ctx context.Context) error {
	if u.spec.Network != spec.NetworkBridge {
		return nil
	}
	ips, err := u.o.Docker.ClusterIPs(ctx, u.spec.Name, NetworkName(u.spec.Name))
	if err != nil {
		return err
	}
	for i, n := range u.plan.Nodes {
		ip, ok := ips[n.Name]
		if !ok {
			return fmt.Errorf("node %s has no address on network %q", n.Name, NetworkName(u.spec.Name))
		}
		if ip != n.IP {
			return fmt.Errorf("node %s got address %s, planned %s", n.Name, ip, n.IP)
		}
		u.plan.Nodes[i].IP = ip
	}
	return nil
}

// peerAddr is where other nodes reach node n (MEET target).
func (u *upRun) peerAddr(n topology.Node) string { return peerAddr(u.spec, n.IP) }

// peerAddr is where nodes reach a node whose bridge address is ip (MEET
// and MIGRATE target).
func peerAddr(s spec.Spec, ip netip.Addr) string {
	if s.Network == spec.NetworkHost {
		if s.AnnounceIP != "" {
			return s.AnnounceIP
		}
		if b := s.BindAddress(); b != "0.0.0.0" {
			return b
		}
		return "127.0.0.1"
	}
	return ip.String()
}

// ErrPortInUse marks errors about host ports that something else holds.
var ErrPortInUse = errors.New("choose other ports with --port")
