package docker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"golang.org/x/sync/errgroup"
)

// How long RemoveCluster waits for containers to go and for the engine to
// let go of a network, and the longest pause between two tries.
const (
	containersGoneWait = time.Minute
	networkRemoveWait  = 30 * time.Second
	maxBackoff         = 2 * time.Second
)

// removeContainers removes every container carrying the cluster label and
// returns once the engine lists none. Each is killed, then removed only
// after the engine has released its network endpoints: Docker 20.10 can
// keep counting an endpoint of a container force-removed while running,
// and the network then refuses to go. The list is taken again until it is
// empty, which also catches a container whose create was still in flight
// (an aborted up) when the first list was taken.
func (c *Client) removeContainers(ctx context.Context, cluster string) (int, error) {
	deadline := time.Now().Add(containersGoneWait)
	removed := map[string]bool{}
	for backoff := 100 * time.Millisecond; ; backoff = min(2*backoff, maxBackoff) {
		list, err := c.listBy(ctx, clusterFilter(cluster)) // a run's lock too
		if err != nil || len(list) == 0 {
			return len(removed), err
		}
		if time.Now().After(deadline) {
			return len(removed), fmt.Errorf("%d containers of cluster %q are still there after %s, first %s", len(list), cluster, containersGoneWait, list[0].Name)
		}
		if err := c.removeEach(ctx, list); err != nil {
			return len(removed), err
		}
		for _, ct := range list {
			removed[ct.ID] = true
		}
		if err := sleep(ctx, backoff); err != nil {
			return len(removed), err
		}
	}
}

// removeEach stops and removes the containers concurrently.
func (c *Client) removeEach(ctx context.Context, list []Container) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, ct := range list {
		g.Go(func() error {
			err := c.stopReleased(gctx, ct.ID)
			if err == nil {
				err = c.api.ContainerRemove(gctx, ct.ID, container.RemoveOptions{Force: true})
			}
			if err != nil && !isNotFound(err) {
				return fmt.Errorf("failed to remove container %s: %w", ct.Name, err)
			}
			return nil
		})
	}
	return g.Wait()
}

// stopReleased kills a container and waits until it is not running and
// the engine shows no endpoint of it on any network (the engine releases
// them after the exit, in its own time). It polls rather than waiting on
// the exit: a start still in flight can run the container after the kill,
// so it is killed again for as long as it runs.
func (c *Client) stopReleased(ctx context.Context, id string) error {
	deadline := time.Now().Add(containersGoneWait)
	for backoff := 20 * time.Millisecond; ; backoff = min(2*backoff, maxBackoff) {
		info, err := c.api.ContainerInspect(ctx, id)
		if err != nil {
			return err
		}
		running := info.State != nil && (info.State.Running || info.State.Restarting)
		if !running && !holdsEndpoint(info.NetworkSettings) || time.Now().After(deadline) {
			return nil // past the deadline the removal is tried anyway
		}
		if running {
			_ = c.api.ContainerKill(ctx, id, "KILL") // it may stop by itself meanwhile
		}
		if err := sleep(ctx, backoff); err != nil {
			return err
		}
	}
}

func holdsEndpoint(ns *container.NetworkSettings) bool {
	if ns == nil {
		return false
	}
	for _, ep := range ns.Networks {
		if ep != nil && ep.EndpointID != "" {
			return true
		}
	}
	return false
}

// removeNetworks removes the cluster's networks, once no container of it
// is left.
func (c *Client) removeNetworks(ctx context.Context, cluster string) (int, error) {
	nets, err := c.api.NetworkList(ctx, network.ListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return 0, fmt.Errorf("failed to list networks: %w", err)
	}
	for _, n := range nets {
		err := c.removeNetwork(ctx, n.ID)
		if err != nil && strings.Contains(err.Error(), "active endpoints") {
			return 0, fmt.Errorf("failed to remove network %s: %w (%w: if no container uses it, remove it with 'docker network rm %s' after restarting dockerd)", n.Name, err, ErrStaleEndpoints, n.Name)
		}
		if err != nil && !isNotFound(err) {
			return 0, fmt.Errorf("failed to remove network %s: %w", n.Name, err)
		}
	}
	return len(nets), nil
}

// ErrStaleEndpoints marks a network the engine will not remove although
// no container uses it: Docker 20.10 can keep counting endpoints of
// removed containers until dockerd restarts.
var ErrStaleEndpoints = errors.New("the engine miscounts the network's endpoints")

// removeNetwork removes a network, retrying with backoff for a bounded
// time while the engine still counts endpoints on it; between tries it
// force-disconnects whatever endpoint the engine still lists, which
// clears an endpoint left by a removed container.
func (c *Client) removeNetwork(ctx context.Context, id string) error {
	deadline := time.Now().Add(networkRemoveWait)
	for backoff := 100 * time.Millisecond; ; backoff = min(2*backoff, maxBackoff) {
		err := c.api.NetworkRemove(ctx, id)
		if err == nil || !strings.Contains(err.Error(), "active endpoints") || time.Now().After(deadline) {
			return err
		}
		if n, ierr := c.api.NetworkInspect(ctx, id, network.InspectOptions{}); ierr == nil {
			for _, ep := range n.Containers {
				_ = c.api.NetworkDisconnect(ctx, id, ep.Name, true)
			}
		}
		if serr := sleep(ctx, backoff); serr != nil {
			return err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
