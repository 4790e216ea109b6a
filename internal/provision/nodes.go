package provision

import (
	"context"
	"fmt"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// NodeSpec is node n's container running cmd: labelled with its role,
// port, index and the spec, with the network settings of s's mode. The
// caller adds the data volume.
func NodeSpec(s spec.Spec, n topology.Node, cmd []string) docker.NodeSpec {
	c := s.Net().Container(n.IP, n.Port)
	mem, _ := s.MemoryBytes() // checked by Validate
	cpus, _ := s.NanoCPUs()
	private := ""
	if s.TLS || len(s.Users) > 0 { // the CA key, the users' passwords: in PrivateDir, on a volume (the root is read-only)
		private = docker.PrivateVolumeName(n.Name)
	}
	return docker.NodeSpec{
		Name: n.Name, Image: s.Image, IP: c.IP, HostIP: c.HostIP, Cmd: cmd,
		Labels: docker.NodeLabels(s.Name, n.Role, n.Port, n.Index, map[string]string{
			docker.LabelSpec: SpecLabel(s), docker.LabelConfig: ConfigHash(s), docker.LabelHost: HostSettings(s),
		}),
		Network: c.Network, Publish: c.Publish, StopTimeout: 10,
		ConfigVolume: docker.ConfigVolumeName(n.Name), Memory: mem, NanoCPUs: cpus,
		PrivateVolume: private,
	}
}

// HostSettings names what a node container is made with beyond its
// config (label redis-dock.host): locked down, and its limits. upgrade
// makes a node again when its container's label differs (nodes made
// before locked containers have none).
func HostSettings(s spec.Spec) string {
	mem, _ := s.MemoryBytes()
	cpus, _ := s.NanoCPUs()
	return fmt.Sprintf("locked memory=%d cpus=%d", mem, cpus)
}

// StartNode makes the container ns (its data volume first, when it has
// one, and its config volume), copies conf to path in it and starts it, recording what it made.
// port is the node's client port, named when the host port was taken;
// extra files (a TLS node's certificates) are copied in with conf.
func (c *Creation) StartNode(ctx context.Context, ns docker.NodeSpec, port int, path string, conf []byte, extra ...docker.File) error {
	for _, vol := range []string{ns.Volume, ns.ConfigVolume, ns.PrivateVolume} {
		if vol == "" {
			continue
		}
		created, err := c.o.Docker.CreateVolume(ctx, vol, map[string]string{docker.LabelCluster: c.name})
		if created {
			c.Made.Volume(vol)
		}
		if err != nil {
			return err
		}
	}
	id, err := c.o.Docker.CreateNode(ctx, ns, append([]docker.File{{
		Path: path, Mode: 0o600, UID: images.UID, GID: images.GID, Data: conf,
	}}, extra...))
	c.Made.Container(id, ns.Name)
	return PortTaken(err, port, ns.HostIP)
}

// CheckAddresses reads each started node's address on the cluster's own
// network and checks it is the planned static one: the others were
// configured with it. Without such a network there is nothing to check.
func CheckAddresses(ctx context.Context, o Options, s spec.Spec, nodes []topology.Node) error {
	net := s.Net().Network()
	if net == "" {
		return nil
	}
	ips, err := o.Docker.ClusterIPs(ctx, s.Name, net)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		ip, ok := ips[n.Name]
		if !ok { // the list can lag behind a start under load: ask the container
			if ip, err = o.Docker.IP(ctx, n.Name, net); err != nil {
				return err
			}
		}
		if ip != n.IP {
			return fmt.Errorf("node %s got address %s, planned %s", n.Name, ip, n.IP)
		}
	}
	return nil
}

// ReadAddresses fills in each node's address on the cluster's own network
// from the engine (none without such a network).
func ReadAddresses(ctx context.Context, o Options, s spec.Spec, nodes []topology.Node) error {
	net := s.Net().Network()
	if net == "" {
		return nil
	}
	for i, n := range nodes {
		ip, err := o.Docker.IP(ctx, n.Name, net)
		if err != nil {
			return err
		}
		nodes[i].IP = ip
	}
	return nil
}
