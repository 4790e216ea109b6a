// Package docker is the only importer of the Docker SDK: a narrow client,
// the labels redis-dock puts on everything, and the pure functions that
// turn planned nodes into container configs.
package docker

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/docker/docker/client"
)

// Client wraps the SDK client; create it with New.
type Client struct {
	api *client.Client
}

// pingTimeout bounds New's first ping: an engine that is not there must
// fail a command at once, with one message, not half-way through it.
const pingTimeout = 15 * time.Second

// New connects to the engine named by the environment (DOCKER_HOST etc.),
// negotiating the API version so older engines (20.10, API 1.41) work. It
// pings the engine (version negotiation would anyway), so every command
// reports an unreachable engine the same way, before it does anything.
func New() (*Client, error) {
	api, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("failed to create docker client: %w", err)
	}
	c := &Client{api: api}
	ctx, cancel := context.WithTimeout(context.Background(), pingTimeout)
	defer cancel()
	if err := c.Ping(ctx); err != nil {
		api.Close()
		return nil, err
	}
	return c, nil
}

// Ping checks that the engine answers, with the address it tried and a
// hint on how to start it.
func (c *Client) Ping(ctx context.Context) error {
	p, err := c.api.Ping(ctx)
	if err != nil {
		return fmt.Errorf("docker engine is not reachable at %s (start it with 'sudo systemctl start docker' or 'dockerd &', or point DOCKER_HOST at it): %w", c.api.DaemonHost(), err)
	}
	c.api.NegotiateAPIVersionPing(p)
	return nil
}

// Close releases the client's connections.
func (c *Client) Close() error { return c.api.Close() }

// OnThisMachine reports whether the engine is reached through a local
// socket or a loopback address (as lab hosts are), so that it may run on
// this machine's kernel.
func (c *Client) OnThisMachine() bool {
	u, err := url.Parse(c.api.DaemonHost())
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "unix", "npipe":
		return true
	case "tcp", "http", "https":
		ip := net.ParseIP(u.Hostname())
		return u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
	}
	return false
}
