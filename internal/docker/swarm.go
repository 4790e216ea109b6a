package docker

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

// LabelStackNamespace is the label `docker stack` finds a stack's
// services, networks, configs and secrets by.
const LabelStackNamespace = "com.docker.stack.namespace"

// SwarmState is this engine's place in a swarm.
type SwarmState struct {
	NodeID  string
	Active  bool   // part of a swarm
	Manager bool   // and a manager of it
	Kernel  string // the engine's kernel release, as uname -r prints it
}

// SwarmState reads the engine's swarm membership.
func (c *Client) SwarmState(ctx context.Context) (SwarmState, error) {
	info, err := c.api.Info(ctx)
	if err != nil {
		return SwarmState{}, fmt.Errorf("failed to read the engine's info: %w", err)
	}
	s := info.Swarm
	return SwarmState{NodeID: s.NodeID, Active: s.LocalNodeState == swarm.LocalNodeStateActive, Manager: s.ControlAvailable, Kernel: info.KernelVersion}, nil
}

// SwarmInit makes this engine a single-node swarm advertising addr.
func (c *Client) SwarmInit(ctx context.Context, addr string) error {
	_, err := c.api.SwarmInit(ctx, swarm.InitRequest{ListenAddr: addr + ":2377", AdvertiseAddr: addr})
	if err != nil {
		return fmt.Errorf("failed to init a swarm on %s: %w", addr, err)
	}
	return nil
}

// SwarmLeave leaves the swarm, forced (a last manager cannot otherwise).
func (c *Client) SwarmLeave(ctx context.Context) error {
	if err := c.api.SwarmLeave(ctx, true); err != nil {
		return fmt.Errorf("failed to leave the swarm: %w", err)
	}
	return nil
}

// SwarmNode is one node of the swarm.
type SwarmNode struct {
	ID       string
	Hostname string
	Ready    bool // ready and active: tasks can be placed on it
}

// SwarmNodes lists the swarm's nodes.
func (c *Client) SwarmNodes(ctx context.Context) ([]SwarmNode, error) {
	nodes, err := c.api.NodeList(ctx, swarm.NodeListOptions{})
	if err != nil {
		return nil, fmt.Errorf("failed to list swarm nodes: %w", err)
	}
	out := make([]SwarmNode, len(nodes))
	for i, n := range nodes {
		out[i] = SwarmNode{ID: n.ID, Hostname: n.Description.Hostname,
			Ready: n.Status.State == swarm.NodeStateReady && n.Spec.Availability == swarm.NodeAvailabilityActive}
	}
	return out, nil
}

// OptEncrypted is the overlay driver's option for IPsec (ESP) between
// hosts.
const OptEncrypted = "encrypted"

// CreateOverlay creates an attachable overlay network on subnet,
// encrypted between hosts when encrypted is true.
func (c *Client) CreateOverlay(ctx context.Context, name string, subnet netip.Prefix, encrypted bool, labels map[string]string) (string, error) {
	opts := network.CreateOptions{
		Driver: "overlay", Scope: "swarm", Attachable: true, Labels: labels,
		IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: subnet.String()}}},
	}
	if encrypted {
		opts.Options = map[string]string{OptEncrypted: ""}
	}
	resp, err := c.api.NetworkCreate(ctx, name, opts)
	if err != nil {
		if strings.Contains(err.Error(), "overlap") {
			return "", fmt.Errorf("%w: %v", ErrSubnetOverlap, err)
		}
		return "", fmt.Errorf("failed to create overlay network %q on %s: %w", name, subnet, err)
	}
	return resp.ID, nil
}

// CreateConfig creates a Swarm config, or returns the existing one of
// that name (configs are named by content, so it holds the same data).
func (c *Client) CreateConfig(ctx context.Context, name string, data []byte, labels map[string]string) (string, error) {
	resp, err := c.api.ConfigCreate(ctx, swarm.ConfigSpec{Annotations: swarm.Annotations{Name: name, Labels: labels}, Data: data})
	if err == nil {
		return resp.ID, nil
	}
	list, lerr := c.api.ConfigList(ctx, swarm.ConfigListOptions{Filters: nameFilter(name)})
	for _, cfg := range list {
		if lerr == nil && cfg.Spec.Name == name {
			return cfg.ID, nil
		}
	}
	return "", fmt.Errorf("failed to create config %q: %w", name, err)
}

// CreateSecret creates a Swarm secret; one that exists is an error, as
// its data cannot be read back to compare.
func (c *Client) CreateSecret(ctx context.Context, name string, data []byte, labels map[string]string) (string, error) {
	resp, err := c.api.SecretCreate(ctx, swarm.SecretSpec{Annotations: swarm.Annotations{Name: name, Labels: labels}, Data: data})
	if err != nil {
		return "", fmt.Errorf("failed to create secret %q: %w", name, err)
	}
	return resp.ID, nil
}

// RemoveNetwork removes a network by name; a missing one is no error.
func (c *Client) RemoveNetwork(ctx context.Context, name string) error {
	if err := c.api.NetworkRemove(ctx, name); err != nil && !isNotFound(err) {
		return fmt.Errorf("failed to remove network %q: %w", name, err)
	}
	return nil
}

// StackObject is a network or secret found by the cluster label.
type StackObject struct {
	ID, Name  string
	Subnet    netip.Prefix // networks
	Encrypted bool         // networks: IPsec between hosts
}

// ClusterOverlay finds the cluster's overlay network by label, whatever
// the stack it was deployed as is called.
func (c *Client) ClusterOverlay(ctx context.Context, cluster string) (StackObject, error) {
	nets, err := c.api.NetworkList(ctx, network.ListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return StackObject{}, fmt.Errorf("failed to list networks: %w", err)
	}
	for _, n := range nets {
		if n.Driver != "overlay" {
			continue
		}
		_, enc := n.Options[OptEncrypted]
		o := StackObject{ID: n.ID, Name: n.Name, Encrypted: enc}
		for _, cfg := range n.IPAM.Config {
			if p, err := netip.ParsePrefix(cfg.Subnet); err == nil {
				o.Subnet = p
			}
		}
		return o, nil
	}
	return StackObject{}, fmt.Errorf("cluster %q has no overlay network (labelled %s=%s)", cluster, LabelCluster, cluster)
}

// ClusterSecret finds the cluster's secret whose name ends in suffix.
func (c *Client) ClusterSecret(ctx context.Context, cluster, suffix string) (StackObject, error) {
	list, err := c.api.SecretList(ctx, swarm.SecretListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return StackObject{}, fmt.Errorf("failed to list secrets: %w", err)
	}
	for _, s := range list {
		if strings.HasSuffix(s.Spec.Name, suffix) {
			return StackObject{ID: s.ID, Name: s.Spec.Name}, nil
		}
	}
	return StackObject{}, fmt.Errorf("cluster %q has no secret named *%s", cluster, suffix)
}
