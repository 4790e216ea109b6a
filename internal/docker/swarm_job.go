package docker

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/pkg/stdcopy"
)

// JobResult is how a one-shot task or container ended and what it printed.
type JobResult struct {
	ExitCode int
	Stdout   []byte
	Stderr   []byte
}

// RunJob runs s as a one-shot service (never restarted), waits for its
// task to end, reads its output and removes it. A job can use the
// stack's secrets, so the password never leaves the swarm.
func (c *Client) RunJob(ctx context.Context, s Service) (JobResult, error) {
	s.Restart = RestartNever
	id, err := c.CreateService(ctx, s)
	if err != nil {
		return JobResult{}, err
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		c.api.ServiceRemove(rctx, id)
	}()
	code, err := c.waitTask(ctx, id, s.Name)
	if err != nil {
		return JobResult{}, err
	}
	rc, err := c.api.ServiceLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	return output(s.Name, code, rc, err)
}

// waitTask polls until the service's task has ended and returns its
// exit code.
func (c *Client) waitTask(ctx context.Context, id, name string) (int, error) {
	for {
		tasks, err := c.api.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", id))})
		if err != nil {
			return 0, fmt.Errorf("failed to list the tasks of %s: %w", name, err)
		}
		for _, t := range tasks {
			switch t.Status.State {
			case swarm.TaskStateComplete, swarm.TaskStateFailed:
				if cs := t.Status.ContainerStatus; cs != nil {
					return cs.ExitCode, nil
				}
				return 0, fmt.Errorf("task of %s ended without an exit code: %s", name, t.Status.Err)
			case swarm.TaskStateRejected:
				return 0, fmt.Errorf("task of %s was rejected: %s", name, t.Status.Err)
			}
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("job %s did not end in time: %w", name, ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Helper is a plain container to run once on a network (an attachable
// overlay), with files copied in before it starts.
type Helper struct {
	Name    string
	Image   string
	Cmd     []string
	User    string
	Network string
	Labels  map[string]string
	Files   []File
}

// RunHelper runs h to its end, returns its output and removes it.
func (c *Client) RunHelper(ctx context.Context, h Helper) (JobResult, error) {
	cfg := &container.Config{Image: h.Image, Cmd: h.Cmd, User: h.User, Labels: h.Labels}
	netCfg := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{h.Network: {}}}
	created, err := c.api.ContainerCreate(ctx, cfg, &container.HostConfig{NetworkMode: container.NetworkMode(h.Network)}, netCfg, nil, h.Name)
	if err != nil {
		return JobResult{}, fmt.Errorf("failed to create helper %q: %w", h.Name, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		c.api.ContainerRemove(rctx, created.ID, container.RemoveOptions{Force: true})
	}()
	if len(h.Files) > 0 {
		tarball, err := tarFiles(h.Files)
		if err != nil {
			return JobResult{}, err
		}
		if err := c.api.CopyToContainer(ctx, created.ID, "/", bytes.NewReader(tarball), container.CopyToContainerOptions{}); err != nil {
			return JobResult{}, fmt.Errorf("failed to copy files into helper %q: %w", h.Name, err)
		}
	}
	waitC, errC := c.api.ContainerWait(ctx, created.ID, container.WaitConditionNextExit)
	if err := c.api.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		return JobResult{}, fmt.Errorf("failed to start helper %q: %w", h.Name, err)
	}
	var code int
	select {
	case w := <-waitC:
		code = int(w.StatusCode)
	case err := <-errC:
		return JobResult{}, fmt.Errorf("failed to wait for helper %q: %w", h.Name, err)
	}
	rc, err := c.api.ContainerLogs(ctx, created.ID, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	return output("helper "+h.Name, code, rc, err)
}

// output is what a finished job or helper (what) printed, read from its
// logs rc (err: asking for them failed), with its exit code.
func output(what string, code int, rc io.ReadCloser, err error) (JobResult, error) {
	if err != nil {
		return JobResult{ExitCode: code}, fmt.Errorf("failed to read the logs of %s: %w", what, err)
	}
	defer rc.Close()
	r, err := demux(rc)
	r.ExitCode = code
	return r, err
}

func demux(rc io.Reader) (JobResult, error) {
	var out, errb bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &errb, rc); err != nil {
		return JobResult{}, fmt.Errorf("failed to read logs: %w", err)
	}
	return JobResult{Stdout: out.Bytes(), Stderr: errb.Bytes()}, nil
}
