// Package docker is the only importer of the Docker SDK: a narrow client,
// the labels redis-dock puts on everything, and the pure functions that
// turn planned nodes into container configs.
package docker

import (
	"context"
	"fmt"

	"github.com/docker/docker/client"
)

// Client wraps the SDK client; create it with New.
type Client struct {
	api *client.Client
}

// New connects to the engine named by the environment (DOCKER_HOST etc.),
// negotiating the API version so older engines (20.10, API 1.41) work.
func New() (*Client, error) {
	api, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("failed to create docker client: %w", err)
	}
	return &Client{api: api}, nil
}

// Ping checks that the engine answers, with a hint on how to start it.
func (c *Client) Ping(ctx context.Context) error {
	if _, err := c.api.Ping(ctx); err != nil {
		return fmt.Errorf("docker engine does not answer (start it with 'sudo systemctl start docker' or 'dockerd &'): %w", err)
	}
	c.api.NegotiateAPIVersion(ctx)
	return nil
}

// Close releases the client's connections.
func (c *Client) Close() error { return c.api.Close() }
