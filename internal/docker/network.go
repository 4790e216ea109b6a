package docker

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
)

// UsedSubnets lists the IPv4 subnets of every Docker network, so a new
// one can be chosen that overlaps none of them.
func (c *Client) UsedSubnets(ctx context.Context) ([]netip.Prefix, error) {
	nets, err := c.api.NetworkList(ctx, network.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("failed to list networks: %w", err)
	}
	var out []netip.Prefix
	for _, n := range nets {
		for _, cfg := range n.IPAM.Config {
			if p, err := netip.ParsePrefix(cfg.Subnet); err == nil {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// FreeSubnet picks a /24 inside 10.213.0.0/16 that overlaps no used
// subnet, starting at a random offset so parallel callers rarely collide.
func FreeSubnet(used []netip.Prefix) (netip.Prefix, error) {
	return FreeSubnetIn(netip.MustParsePrefix("10.213.0.0/16"), rand.IntN(256), used)
}

// FreeSubnetIn picks a /24 inside the /16 in that overlaps no used
// subnet, trying the start-th /24 first and the next ones after it.
func FreeSubnetIn(in netip.Prefix, start int, used []netip.Prefix) (netip.Prefix, error) {
	base := in.Masked().Addr().As4()
	for i := 0; i < 256; i++ {
		cand := netip.PrefixFrom(netip.AddrFrom4([4]byte{base[0], base[1], byte(start + i), 0}), 24)
		if !slices.ContainsFunc(used, cand.Overlaps) {
			return cand, nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("no free /24 subnet left in %s; remove unused networks or pass --subnet", in)
}

// CreateNetwork creates a labelled bridge network on subnet and returns
// its ID. It returns ErrSubnetOverlap-wrapped errors when the engine
// reports an address clash, so the caller can pick another subnet. A
// cancelled ctx does not cut the call off: the ID comes back with the
// error, so the caller can remove the network.
func (c *Client) CreateNetwork(ctx context.Context, name string, subnet netip.Prefix, labels map[string]string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	gw := netip.AddrFrom4(subnet.Masked().Addr().As4()).Next()
	dctx, cancel := detached(ctx)
	defer cancel()
	resp, err := c.api.NetworkCreate(dctx, name, network.CreateOptions{
		Driver: "bridge",
		Labels: labels,
		IPAM: &network.IPAM{Config: []network.IPAMConfig{{
			Subnet: subnet.String(), Gateway: gw.String(),
		}}},
	})
	if err != nil {
		if strings.Contains(err.Error(), "overlap") {
			return "", fmt.Errorf("%w: %v", ErrSubnetOverlap, err)
		}
		return "", fmt.Errorf("failed to create network %q on %s: %w", name, subnet, err)
	}
	return resp.ID, ctx.Err()
}

// ErrSubnetOverlap says the chosen subnet is taken; pick another.
var ErrSubnetOverlap = fmt.Errorf("subnet overlaps an existing network")

// NetworkSubnet returns the subnet of a network, when it exists.
func (c *Client) NetworkSubnet(ctx context.Context, name string) (netip.Prefix, bool, error) {
	n, err := c.api.NetworkInspect(ctx, name, network.InspectOptions{})
	if err != nil {
		if isNotFound(err) {
			return netip.Prefix{}, false, nil
		}
		return netip.Prefix{}, false, fmt.Errorf("failed to inspect network %q: %w", name, err)
	}
	for _, cfg := range n.IPAM.Config {
		if p, err := netip.ParsePrefix(cfg.Subnet); err == nil {
			return p, true, nil
		}
	}
	return netip.Prefix{}, true, nil
}

// NetworkExists reports whether a network of that name exists and
// carries the cluster label value cluster ("" when unlabelled).
func (c *Client) NetworkOwner(ctx context.Context, name string) (owner string, exists bool, err error) {
	n, err := c.api.NetworkInspect(ctx, name, network.InspectOptions{})
	if err != nil {
		if isNotFound(err) {
			return "", false, nil
		}
		return "", false, fmt.Errorf("failed to inspect network %q: %w", name, err)
	}
	return n.Labels[LabelCluster], true, nil
}

func clusterFilter(cluster string) filters.Args {
	if cluster == "" {
		return filters.NewArgs(filters.Arg("label", LabelCluster))
	}
	return filters.NewArgs(filters.Arg("label", LabelCluster+"="+cluster))
}
