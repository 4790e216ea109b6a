package docker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/swarm"
)

// StackRemoved counts what RemoveStack deleted.
type StackRemoved struct{ Services, Networks, Configs, Secrets, Volumes int }

// RemoveStack deletes every Swarm service, config and secret carrying the
// cluster label, waits for their containers to go, then removes the
// cluster's networks (and volumes when volumes is true). Missing things
// are not errors, so it can run twice and on half-made stacks.
func (c *Client) RemoveStack(ctx context.Context, cluster string, volumes bool) (StackRemoved, error) {
	var r StackRemoved
	if cluster == "" {
		return r, errors.New("refusing to remove without a cluster name")
	}
	f := clusterFilter(cluster)
	services, err := c.api.ServiceList(ctx, swarm.ServiceListOptions{Filters: f})
	if err != nil {
		return r, fmt.Errorf("failed to list services: %w", err)
	}
	for _, s := range services {
		if err := c.api.ServiceRemove(ctx, s.ID); err != nil && !isNotFound(err) {
			return r, fmt.Errorf("failed to remove service %s: %w", s.Spec.Name, err)
		}
	}
	r.Services = len(services)
	if err := c.waitNoContainers(ctx, cluster); err != nil {
		return r, err
	}
	if r.Configs, r.Secrets, err = c.removeFiles(ctx, cluster); err != nil {
		return r, err
	}
	if r.Networks, err = c.removeNetworksRetrying(ctx, cluster); err != nil {
		return r, err
	}
	if volumes {
		r.Volumes, err = c.removeVolumes(ctx, cluster)
	}
	return r, err
}

// waitNoContainers waits (up to a minute) until no container carries the
// cluster label: Swarm removes a removed service's containers by itself.
func (c *Client) waitNoContainers(ctx context.Context, cluster string) error {
	deadline := time.Now().Add(time.Minute)
	for {
		list, err := c.List(ctx, cluster)
		if err != nil || len(list) == 0 {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d containers of cluster %q are still there a minute after their services were removed", len(list), cluster)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (c *Client) removeFiles(ctx context.Context, cluster string) (configs, secrets int, err error) {
	f := clusterFilter(cluster)
	cl, err := c.api.ConfigList(ctx, swarm.ConfigListOptions{Filters: f})
	if err != nil {
		return 0, 0, fmt.Errorf("failed to list configs: %w", err)
	}
	for _, x := range cl {
		if err := c.api.ConfigRemove(ctx, x.ID); err != nil && !isNotFound(err) {
			return 0, 0, fmt.Errorf("failed to remove config %s: %w", x.Spec.Name, err)
		}
	}
	sl, err := c.api.SecretList(ctx, swarm.SecretListOptions{Filters: f})
	if err != nil {
		return len(cl), 0, fmt.Errorf("failed to list secrets: %w", err)
	}
	for _, x := range sl {
		if err := c.api.SecretRemove(ctx, x.ID); err != nil && !isNotFound(err) {
			return len(cl), 0, fmt.Errorf("failed to remove secret %s: %w", x.Spec.Name, err)
		}
	}
	return len(cl), len(sl), nil
}

// removeNetworksRetrying retries while an overlay still has endpoints of
// tasks that are shutting down.
func (c *Client) removeNetworksRetrying(ctx context.Context, cluster string) (int, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := c.removeNetworks(ctx, cluster)
		if err == nil || time.Now().After(deadline) {
			return n, err
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// StackLeftovers counts the Swarm services, configs and secrets that
// still carry the cluster label; on an engine that is no swarm manager
// there can be none.
func (c *Client) StackLeftovers(ctx context.Context, cluster string) (StackRemoved, error) {
	var r StackRemoved
	if st, err := c.SwarmState(ctx); err != nil || !st.Manager {
		return r, err
	}
	f := clusterFilter(cluster)
	services, err := c.api.ServiceList(ctx, swarm.ServiceListOptions{Filters: f})
	if err != nil {
		return r, fmt.Errorf("failed to list services: %w", err)
	}
	configs, err := c.api.ConfigList(ctx, swarm.ConfigListOptions{Filters: f})
	if err != nil {
		return r, fmt.Errorf("failed to list configs: %w", err)
	}
	secrets, err := c.api.SecretList(ctx, swarm.SecretListOptions{Filters: f})
	if err != nil {
		return r, fmt.Errorf("failed to list secrets: %w", err)
	}
	return StackRemoved{Services: len(services), Configs: len(configs), Secrets: len(secrets)}, nil
}
