package docker

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/pkg/stdcopy"
)

// RemoveNode force-removes one node container and then its volumes
// (missing ones are not errors), as a scale-in does for each node it drops.
func (c *Client) RemoveNode(ctx context.Context, id string, volumes ...string) error {
	if err := c.RemoveContainer(ctx, id); err != nil {
		return err
	}
	for _, v := range volumes {
		if err := c.RemoveVolume(ctx, v); err != nil {
			return err
		}
	}
	return nil
}

// RemoveContainer force-removes one container and keeps its volumes (a
// missing container is not an error), as upgrade does before it makes
// the node again from a new image on the same volume.
func (c *Client) RemoveContainer(ctx context.Context, id string) error {
	err := c.api.ContainerRemove(ctx, id, container.RemoveOptions{Force: true})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("failed to remove container %s: %w", id, err)
	}
	return nil
}

// RemoveVolume removes a named volume; a missing one is not an error.
func (c *Client) RemoveVolume(ctx context.Context, name string) error {
	if err := c.api.VolumeRemove(ctx, name, true); err != nil && !isNotFound(err) {
		return fmt.Errorf("failed to remove volume %s: %w", name, err)
	}
	return nil
}

// WriteFile copies one file into a container, running or not.
func (c *Client) WriteFile(ctx context.Context, id string, f File) error {
	root, tarball, err := tarFiles([]File{f})
	if err != nil {
		return err
	}
	if err := c.api.CopyToContainer(ctx, id, root, bytes.NewReader(tarball), container.CopyToContainerOptions{}); err != nil {
		return fmt.Errorf("failed to write %s into %s: %w", f.Path, id, err)
	}
	return nil
}

// Reconnect disconnects a container from a network and connects it again
// with another static address, as when a node comes back elsewhere; tests
// of `heal` use it.
func (c *Client) Reconnect(ctx context.Context, id, networkName string, ip netip.Addr) error {
	info, err := c.api.ContainerInspect(ctx, id)
	if err != nil {
		return fmt.Errorf("failed to inspect container %s: %w", id, err)
	}
	var aliases []string
	if ep := info.NetworkSettings.Networks[networkName]; ep != nil {
		aliases = ep.Aliases
	}
	if err := c.api.NetworkDisconnect(ctx, networkName, id, true); err != nil {
		return fmt.Errorf("failed to disconnect %s from %s: %w", id, networkName, err)
	}
	ep := &network.EndpointSettings{Aliases: aliases, IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: ip.String()}}
	if err := c.api.NetworkConnect(ctx, networkName, id, ep); err != nil {
		return fmt.Errorf("failed to connect %s to %s as %s: %w", id, networkName, ip, err)
	}
	return nil
}

// VolumeExists reports whether the named volume exists.
func (c *Client) VolumeExists(ctx context.Context, name string) (bool, error) {
	_, err := c.api.VolumeInspect(ctx, name)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("failed to inspect volume %q: %w", name, err)
	}
	return true, nil
}

// Exec runs cmd in a running container as its user and returns the exit
// code and what it printed (stdout then stderr); tests use it to try
// what an intruder in a node could do.
func (c *Client) Exec(ctx context.Context, id string, cmd []string) (int, string, error) {
	ex, err := c.api.ContainerExecCreate(ctx, id, container.ExecOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return 0, "", fmt.Errorf("failed to exec in %s: %w", id, err)
	}
	att, err := c.api.ContainerExecAttach(ctx, ex.ID, container.ExecAttachOptions{})
	if err != nil {
		return 0, "", fmt.Errorf("failed to attach to exec in %s: %w", id, err)
	}
	defer att.Close()
	var out, errb bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &errb, att.Reader); err != nil {
		return 0, "", fmt.Errorf("failed to read exec output in %s: %w", id, err)
	}
	info, err := c.api.ContainerExecInspect(ctx, ex.ID)
	if err != nil {
		return 0, "", fmt.Errorf("failed to inspect exec in %s: %w", id, err)
	}
	return info.ExitCode, out.String() + errb.String(), nil
}
