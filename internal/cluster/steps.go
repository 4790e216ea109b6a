package cluster

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
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
	if err := CheckNames(ctx, u.o.Docker, u.spec, names); err != nil {
		return u.cr.Contended(ctx, err)
	}
	if err := u.checkPorts(); err != nil {
		return u.cr.Contended(ctx, err)
	}
	st.End(true)
	return nil
}

func (u *upRun) checkPorts() error {
	var ports []int
	for _, n := range u.plan.Nodes {
		ports = append(ports, n.Port)
		if u.spec.Network == spec.NetworkHost {
			ports = append(ports, n.BusPort)
		}
	}
	return CheckPorts(u.spec, ports)
}

func (u *upRun) ensureImage(ctx context.Context) error { return EnsureImage(ctx, u.o, u.spec) }

func (u *upRun) resolvePassword(context.Context) error { return ResolvePassword(&u.spec, u.o) }

// createNetwork makes the cluster's bridge network and plans the static
// node addresses on it.
func (u *upRun) createNetwork(ctx context.Context) error {
	if u.spec.Network != spec.NetworkBridge {
		return nil
	}
	subnet, err := CreateNetwork(ctx, u.o, u.spec, &u.cr.Made)
	if err != nil {
		return err
	}
	u.plan = topology.New(topology.Params{Cluster: u.spec.Name, Masters: u.spec.Masters, Replicas: u.spec.Replicas,
		Port: u.spec.Port, BusPort: u.spec.FirstBusPort(), Subnet: subnet})
	return nil
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
	created, err := u.o.Docker.CreateVolume(ctx, vol, map[string]string{docker.LabelCluster: u.spec.Name})
	if created {
		u.cr.Made.Volume(vol)
	}
	if err != nil {
		return err
	}
	id, err := u.o.Docker.CreateNode(ctx, u.nodeSpec(n, vol), []docker.File{{
		Path: ConfigPath, Mode: 0o600, UID: images.UID, GID: images.GID, Data: conf,
	}})
	u.cr.Made.Container(id, n.Name)
	return PortTaken(err, n.Port, u.spec.HostIP)
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
		if !ok { // the list can lag behind a start under load: ask the container
			if ip, err = u.o.Docker.IP(ctx, n.Name, NetworkName(u.spec.Name)); err != nil {
				return err
			}
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
