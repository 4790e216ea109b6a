package docker

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"golang.org/x/sync/errgroup"
)

// failed wraps the engine's error of one call on container id (nil stays
// nil): "failed to <verb> container <id>: ...".
func failed(verb, id string, err error) error {
	if err != nil {
		return fmt.Errorf("failed to %s container %s: %w", verb, id, err)
	}
	return nil
}

// Start starts a stopped container.
func (c *Client) Start(ctx context.Context, id string) error {
	return failed("start", id, c.api.ContainerStart(ctx, id, container.StartOptions{}))
}

// Stop stops a container gracefully within timeout seconds.
func (c *Client) Stop(ctx context.Context, id string, timeout int) error {
	return failed("stop", id, c.api.ContainerStop(ctx, id, container.StopOptions{Timeout: &timeout}))
}

// Kill sends SIGKILL, as a crash would.
func (c *Client) Kill(ctx context.Context, id string) error {
	return failed("kill", id, c.api.ContainerKill(ctx, id, "KILL"))
}

// Restart restarts a container.
func (c *Client) Restart(ctx context.Context, id string, timeout int) error {
	return failed("restart", id, c.api.ContainerRestart(ctx, id, container.StopOptions{Timeout: &timeout}))
}

// Removed counts what RemoveCluster deleted.
type Removed struct{ Containers, Networks, Volumes int }

// RemoveCluster deletes every container (a run's lock too) and network
// carrying the cluster label (and volumes when volumes is true). Missing things are not errors,
// so it can run twice and on half-made clusters. The order is what makes
// the engine let go of the network: containers first, and only once the
// engine lists none of them, the networks (see removeContainers); then
// the containers once more, in case a create in flight (an aborted up)
// made one after the first pass.
func (c *Client) RemoveCluster(ctx context.Context, cluster string, volumes bool) (Removed, error) {
	var r Removed
	if cluster == "" {
		return r, errors.New("refusing to remove without a cluster name")
	}
	var err error
	if r.Containers, err = c.removeContainers(ctx, cluster); err != nil {
		return r, err
	}
	r.Networks, err = c.removeNetworks(ctx, cluster)
	late, lerr := c.removeContainers(ctx, cluster)
	r.Containers += late
	err = errors.Join(err, lerr)
	if volumes { // even when a network is stuck: see removeNetworks
		var verr error
		r.Volumes, verr = c.removeVolumes(ctx, cluster)
		err = errors.Join(err, verr)
	}
	return r, err
}

func (c *Client) removeVolumes(ctx context.Context, cluster string) (int, error) {
	vols, err := c.api.VolumeList(ctx, volume.ListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return 0, fmt.Errorf("failed to list volumes: %w", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, v := range vols.Volumes {
		g.Go(func() error {
			if err := c.api.VolumeRemove(gctx, v.Name, true); err != nil && !isNotFound(err) {
				return fmt.Errorf("failed to remove volume %s: %w", v.Name, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	return len(vols.Volumes), nil
}

// Leftovers counts what still carries the cluster label.
func (c *Client) Leftovers(ctx context.Context, cluster string) (Removed, error) {
	var r Removed
	list, err := c.listBy(ctx, clusterFilter(cluster)) // locks too
	if err != nil {
		return r, err
	}
	nets, err := c.api.NetworkList(ctx, network.ListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return r, err
	}
	vols, err := c.api.VolumeList(ctx, volume.ListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return r, err
	}
	return Removed{Containers: len(list), Networks: len(nets), Volumes: len(vols.Volumes)}, nil
}
