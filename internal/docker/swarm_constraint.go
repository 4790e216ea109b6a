package docker

import (
	"context"
	"fmt"

	"github.com/docker/docker/api/types/swarm"
)

// SetConstraints replaces a service's placement constraints, as `docker
// service update --constraint-rm/--constraint-add` does; Swarm then
// replaces its task where the new constraints allow.
func (c *Client) SetConstraints(ctx context.Context, service string, constraints []string) error {
	s, _, err := c.api.ServiceInspectWithRaw(ctx, service, swarm.ServiceInspectOptions{})
	if err != nil {
		return fmt.Errorf("failed to inspect service %q: %w", service, err)
	}
	if s.Spec.TaskTemplate.Placement == nil {
		s.Spec.TaskTemplate.Placement = &swarm.Placement{}
	}
	s.Spec.TaskTemplate.Placement.Constraints = constraints
	if _, err := c.api.ServiceUpdate(ctx, s.ID, s.Version, s.Spec, swarm.ServiceUpdateOptions{}); err != nil {
		return fmt.Errorf("failed to update the placement of service %q: %w", service, err)
	}
	return nil
}

// RemoveSwarmNode removes a node that is down from the swarm, as `docker
// node rm --force` does: the swarm forgets it and its tasks.
func (c *Client) RemoveSwarmNode(ctx context.Context, id string) error {
	if err := c.api.NodeRemove(ctx, id, swarm.NodeRemoveOptions{Force: true}); err != nil {
		return fmt.Errorf("failed to remove swarm node %s: %w", id, err)
	}
	return nil
}
