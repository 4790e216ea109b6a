package docker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"golang.org/x/sync/errgroup"
)

// Start starts a stopped container.
func (c *Client) Start(ctx context.Context, id string) error {
	if err := c.api.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		return fmt.Errorf("failed to start container %s: %w", id, err)
	}
	return nil
}

// Stop stops a container gracefully within timeout seconds.
func (c *Client) Stop(ctx context.Context, id string, timeout int) error {
	if err := c.api.ContainerStop(ctx, id, container.StopOptions{Timeout: &timeout}); err != nil {
		return fmt.Errorf("failed to stop container %s: %w", id, err)
	}
	return nil
}

// Kill sends SIGKILL, as a crash would.
func (c *Client) Kill(ctx context.Context, id string) error {
	if err := c.api.ContainerKill(ctx, id, "KILL"); err != nil {
		return fmt.Errorf("failed to kill container %s: %w", id, err)
	}
	return nil
}

// Restart restarts a container.
func (c *Client) Restart(ctx context.Context, id string, timeout int) error {
	if err := c.api.ContainerRestart(ctx, id, container.StopOptions{Timeout: &timeout}); err != nil {
		return fmt.Errorf("failed to restart container %s: %w", id, err)
	}
	return nil
}

// Removed counts what RemoveCluster deleted.
type Removed struct{ Containers, Networks, Volumes int }

// RemoveCluster deletes every container (a run's lock too) and network
// carrying the cluster label (and volumes when volumes is true). Missing things are not errors,
// so it can run twice and on half-made clusters.
func (c *Client) RemoveCluster(ctx context.Context, cluster string, volumes bool) (Removed, error) {
	var r Removed
	if cluster == "" {
		return r, errors.New("refusing to remove without a cluster name")
	}
	list, err := c.listBy(ctx, clusterFilter(cluster)) // locks too
	if err != nil {
		return r, err
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, ct := range list {
		g.Go(func() error {
			err := c.api.ContainerRemove(gctx, ct.ID, container.RemoveOptions{Force: true, RemoveVolumes: false})
			if err != nil && !isNotFound(err) {
				return fmt.Errorf("failed to remove container %s: %w", ct.Name, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return r, err
	}
	r.Containers = len(list)
	names := make([]string, len(list))
	for i, ct := range list {
		names[i] = ct.Name
	}
	r.Networks, err = c.removeNetworks(ctx, cluster, names)
	if volumes { // even when a network is stuck: see removeNetworks
		var verr error
		r.Volumes, verr = c.removeVolumes(ctx, cluster)
		err = errors.Join(err, verr)
	}
	return r, err
}

func (c *Client) removeNetworks(ctx context.Context, cluster string, members []string) (int, error) {
	nets, err := c.api.NetworkList(ctx, network.ListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return 0, fmt.Errorf("failed to list networks: %w", err)
	}
	for _, n := range nets {
		err := c.removeNetwork(ctx, n.ID, members)
		if err != nil && strings.Contains(err.Error(), "active endpoints") {
			// Seen on Docker 20.10 after many containers started and were
			// removed at once: the engine's endpoint count stays above zero
			// with no container attached, until dockerd restarts.
			return 0, fmt.Errorf("failed to remove network %s: %w (%w: if no container uses it, remove it with 'docker network rm %s' after restarting dockerd)", n.Name, err, ErrStaleEndpoints, n.Name)
		}
		if err != nil && !isNotFound(err) {
			return 0, fmt.Errorf("failed to remove network %s: %w", n.Name, err)
		}
	}
	return len(nets), nil
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

// ErrStaleEndpoints marks a network the engine will not remove although
// no container uses it: Docker 20.10 keeps counting endpoints of removed
// containers until dockerd restarts. Everything else is removed.
var ErrStaleEndpoints = errors.New("the engine miscounts the network's endpoints")

// removeNetwork removes a network whose containers were just removed. The
// engine may still count their endpoints for a moment (and Docker 20.10
// sometimes keeps counting): retry, force-disconnecting the endpoints of
// the removed members by name, which clears a stale count.
func (c *Client) removeNetwork(ctx context.Context, id string, members []string) error {
	var err error
	for try := 0; try < 12; try++ {
		if err = c.api.NetworkRemove(ctx, id); err == nil || !strings.Contains(err.Error(), "active endpoints") {
			return err
		}
		for _, name := range members {
			_ = c.api.NetworkDisconnect(ctx, id, name, true)
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(100*(try+1)) * time.Millisecond):
		}
	}
	return err
}
