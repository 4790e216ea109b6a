package docker

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
)

// UpdateImage has service name run image, as `docker service update
// --image` does (Swarm replaces its task by the service's update config;
// with the image it names already, the task is made again, as --force
// does, for a tag that names another image now), and sets labels on the
// service (not its tasks). An empty image changes the labels only, which
// replaces no task.
func (c *Client) UpdateImage(ctx context.Context, name, image string, labels map[string]string) error {
	s, _, err := c.api.ServiceInspectWithRaw(ctx, name, swarm.ServiceInspectOptions{})
	if err != nil {
		return fmt.Errorf("failed to inspect service %q: %w", name, err)
	}
	switch {
	case image == s.Spec.TaskTemplate.ContainerSpec.Image:
		s.Spec.TaskTemplate.ForceUpdate++ // the same name for another image: make the task again
	case image != "":
		s.Spec.TaskTemplate.ContainerSpec.Image = image
	}
	if s.Spec.Labels == nil {
		s.Spec.Labels = map[string]string{}
	}
	for k, v := range labels {
		s.Spec.Labels[k] = v
	}
	if _, err := c.api.ServiceUpdate(ctx, s.ID, s.Version, s.Spec, swarm.ServiceUpdateOptions{}); err != nil {
		return fmt.Errorf("failed to update service %q: %w", name, err)
	}
	return nil
}

// TaskOn is the task of a one-task service that runs now: its container
// and the image its spec names.
type TaskOn struct {
	ID, Container, Image string
}

// WaitRunning waits until service name has exactly one task that should
// run and does, with its spec's image, and returns it: after UpdateImage,
// the new task (stop-first: the old one stops, the new one starts).
func (c *Client) WaitRunning(ctx context.Context, name, image string) (TaskOn, error) {
	last := "no task yet"
	for {
		tasks, err := c.api.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(
			filters.Arg("service", name), filters.Arg("desired-state", "running"))})
		if err == nil {
			var on []TaskOn
			last = fmt.Sprintf("%d tasks to run", len(tasks))
			for _, t := range tasks {
				img := t.Spec.ContainerSpec.Image
				if t.Status.State == swarm.TaskStateRunning && (image == "" || img == image) && t.Status.ContainerStatus != nil {
					on = append(on, TaskOn{ID: t.ID, Container: t.Status.ContainerStatus.ContainerID, Image: img})
				} else {
					last = fmt.Sprintf("task %.12s of %s is %s (%s)", t.ID, img, t.Status.State, t.Status.Err)
				}
			}
			if len(on) == 1 && len(tasks) == 1 {
				return on[0], nil
			}
		}
		select {
		case <-ctx.Done():
			return TaskOn{}, fmt.Errorf("service %s did not run one task of %s: %s; %s (%w)", name, image, last, c.updateState(name), ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// ServiceImage is the image service name's tasks are made from.
func (c *Client) ServiceImage(ctx context.Context, name string) (string, error) {
	s, _, err := c.api.ServiceInspectWithRaw(ctx, name, swarm.ServiceInspectOptions{})
	if err != nil {
		return "", fmt.Errorf("failed to inspect service %q: %w", name, err)
	}
	return s.Spec.TaskTemplate.ContainerSpec.Image, nil
}

// updateState says how service name's last update and newest task are
// doing, for an error: a paused update (a new task that failed) names why.
func (c *Client) updateState(name string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out := "update state unknown"
	if s, _, err := c.api.ServiceInspectWithRaw(ctx, name, swarm.ServiceInspectOptions{}); err == nil && s.UpdateStatus != nil {
		out = fmt.Sprintf("update %s: %s", s.UpdateStatus.State, s.UpdateStatus.Message)
	}
	tasks, err := c.api.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", name))})
	if err != nil || len(tasks) == 0 {
		return out
	}
	newest := tasks[0]
	for _, t := range tasks {
		if t.CreatedAt.After(newest.CreatedAt) {
			newest = t
		}
	}
	return fmt.Sprintf("%s; newest task %.12s of %s: %s, desired %s (%s)", out, newest.ID, newest.Spec.ContainerSpec.Image,
		newest.Status.State, newest.DesiredState, newest.Status.Err)
}
