package docker

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/docker/docker/api/types/network"
)

// Pause freezes a container's processes (docker pause): a hung node that
// keeps its sockets open.
func (c *Client) Pause(ctx context.Context, id string) error {
	return failed("pause", id, c.api.ContainerPause(ctx, id))
}

// Unpause thaws a paused container.
func (c *Client) Unpause(ctx context.Context, id string) error {
	return failed("unpause", id, c.api.ContainerUnpause(ctx, id))
}

// Disconnect cuts a container off a network (forcing it, so a stopped
// container works too).
func (c *Client) Disconnect(ctx context.Context, id, networkName string) error {
	if err := c.api.NetworkDisconnect(ctx, networkName, id, true); err != nil {
		return fmt.Errorf("failed to disconnect %s from %s: %w", id, networkName, err)
	}
	return nil
}

// Connect attaches a container to a network with a static address and
// aliases, as it was created.
func (c *Client) Connect(ctx context.Context, id, networkName string, ip netip.Addr, aliases []string) error {
	ep := &network.EndpointSettings{Aliases: aliases}
	if ip.IsValid() {
		ep.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: ip.String()}
	}
	if err := c.api.NetworkConnect(ctx, networkName, id, ep); err != nil {
		return fmt.Errorf("failed to connect %s to %s as %s: %w", id, networkName, ip, err)
	}
	return nil
}

// Networks lists the networks a container is attached to now.
func (c *Client) Networks(ctx context.Context, id string) ([]string, error) {
	info, err := c.api.ContainerInspect(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("failed to inspect container %s: %w", id, err)
	}
	var out []string
	if info.NetworkSettings != nil {
		for name := range info.NetworkSettings.Networks {
			out = append(out, name)
		}
	}
	return out, nil
}
