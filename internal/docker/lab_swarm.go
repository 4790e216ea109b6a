package docker

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
)

func labFilter(lab string) filters.Args {
	if lab == "" {
		return filters.NewArgs(filters.Arg("label", LabelLab))
	}
	return filters.NewArgs(filters.Arg("label", LabelLab+"="+lab))
}

// JoinTokens are a swarm's worker and manager join tokens.
type JoinTokens struct{ Worker, Manager string }

// SwarmJoinTokens reads the join tokens from a manager.
func (c *Client) SwarmJoinTokens(ctx context.Context) (JoinTokens, error) {
	s, err := c.api.SwarmInspect(ctx)
	if err != nil {
		return JoinTokens{}, fmt.Errorf("failed to inspect the swarm: %w", err)
	}
	return JoinTokens{Worker: s.JoinTokens.Worker, Manager: s.JoinTokens.Manager}, nil
}

// SwarmJoin joins this engine, advertising addr, to the swarm whose
// manager listens at manager (an address; port 2377 is added).
func (c *Client) SwarmJoin(ctx context.Context, addr, manager, token string) error {
	err := c.api.SwarmJoin(ctx, swarm.JoinRequest{
		ListenAddr: addr + ":2377", AdvertiseAddr: addr, RemoteAddrs: []string{manager + ":2377"}, JoinToken: token,
	})
	if err != nil {
		return fmt.Errorf("failed to join the swarm of %s from %s: %w", manager, addr, err)
	}
	return nil
}

// SwarmMember is a swarm node as `docker node ls` shows it, with the
// number of tasks running on it.
type SwarmMember struct {
	ID, Hostname string
	State        string // ready, down, unknown
	Availability string // active, pause, drain
	Manager      bool
	Leader       bool
	Tasks        int // running
}

// SwarmMembers lists the swarm's nodes by hostname and counts the tasks
// running on each; call it on a manager.
func (c *Client) SwarmMembers(ctx context.Context) ([]SwarmMember, error) {
	nodes, err := c.api.NodeList(ctx, swarm.NodeListOptions{})
	if err != nil {
		return nil, fmt.Errorf("failed to list swarm nodes: %w", err)
	}
	running, err := c.runningTasksByNode(ctx, filters.NewArgs())
	if err != nil {
		return nil, err
	}
	out := make([]SwarmMember, len(nodes))
	for i, n := range nodes {
		out[i] = SwarmMember{ID: n.ID, Hostname: n.Description.Hostname, State: string(n.Status.State),
			Availability: string(n.Spec.Availability), Manager: n.ManagerStatus != nil, Tasks: len(running[n.ID])}
		out[i].Leader = n.ManagerStatus != nil && n.ManagerStatus.Leader
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Hostname < out[j].Hostname })
	return out, nil
}

// ServiceNodes returns the swarm node IDs the running tasks of service
// run on.
func (c *Client) ServiceNodes(ctx context.Context, service string) ([]string, error) {
	running, err := c.runningTasksByNode(ctx, filters.NewArgs(filters.Arg("service", service)))
	if err != nil {
		return nil, err
	}
	var out []string
	for node := range running {
		out = append(out, node)
	}
	sort.Strings(out)
	return out, nil
}

// ServicePlacement says whether a task of service runs and on which
// swarm node its latest task was placed (a service pinned to a node that
// went down has only a pending task, with no node, after it).
func (c *Client) ServicePlacement(ctx context.Context, service string) (lastNode string, running bool, err error) {
	tasks, err := c.api.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", service))})
	if err != nil {
		return "", false, fmt.Errorf("failed to list tasks of %s: %w", service, err)
	}
	var latest swarm.Task
	for _, t := range tasks {
		if t.Status.State == swarm.TaskStateRunning && t.DesiredState == swarm.TaskStateRunning {
			running = true
		}
		// By creation: an old task's status may be updated later, when its
		// node returns and reports it shut down.
		if t.NodeID != "" && t.Meta.CreatedAt.After(latest.Meta.CreatedAt) {
			latest = t
		}
	}
	return latest.NodeID, running, nil
}

// runningTasksByNode maps node IDs to the IDs of the running tasks f
// selects.
func (c *Client) runningTasksByNode(ctx context.Context, f filters.Args) (map[string][]string, error) {
	tasks, err := c.tasks(ctx, f)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, t := range tasks {
		if t.Status.State == swarm.TaskStateRunning {
			out[t.NodeID] = append(out[t.NodeID], t.ID)
		}
	}
	return out, nil
}

// tasks lists the tasks f selects that should be running.
func (c *Client) tasks(ctx context.Context, f filters.Args) ([]swarm.Task, error) {
	f.Add("desired-state", "running")
	tasks, err := c.api.TaskList(ctx, swarm.TaskListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("failed to list tasks: %w", err)
	}
	return tasks, nil
}

// TaskHistory describes every task of a cluster's services, old ones
// included, a line each (service, node, desired and current state, since
// when, error, addresses): what to read when a node on a returning host
// misbehaves.
func (c *Client) TaskHistory(ctx context.Context, cluster string) ([]string, error) {
	list, err := c.api.ServiceList(ctx, swarm.ServiceListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return nil, fmt.Errorf("failed to list services: %w", err)
	}
	members, err := c.SwarmMembers(ctx)
	if err != nil {
		return nil, err
	}
	host := map[string]string{}
	for _, m := range members {
		host[m.ID] = m.Hostname + "/" + m.State
	}
	var out []string
	for _, s := range list {
		tasks, err := c.api.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", s.ID))})
		if err != nil {
			return nil, fmt.Errorf("failed to list tasks of %s: %w", s.Spec.Name, err)
		}
		sort.Slice(tasks, func(i, j int) bool { return tasks[i].Meta.CreatedAt.Before(tasks[j].Meta.CreatedAt) })
		for _, t := range tasks {
			var addrs []string
			for _, a := range t.NetworksAttachments {
				addrs = append(addrs, a.Addresses...)
			}
			ctr := ""
			if t.Status.ContainerStatus != nil {
				ctr = t.Status.ContainerStatus.ContainerID
				if len(ctr) > 12 {
					ctr = ctr[:12]
				}
			}
			out = append(out, fmt.Sprintf("%s task %.12s on %s: desired %s, state %s since %s %q, container %s, addresses %v, error %q",
				s.Spec.Name, t.ID, host[t.NodeID], t.DesiredState, t.Status.State, t.Status.Timestamp.Format("15:04:05.000"),
				t.Status.Message, ctr, addrs, t.Status.Err))
		}
	}
	return out, nil
}

// Unsettled says what keeps a cluster's services from the state Swarm
// converges to, a line each: a replicated service whose tasks that
// should run are not exactly its replica count, all running; a task
// told to stop (replaced while its node was away) that has not stopped
// yet; a job's task still running. None means settled: what runs now
// is what keeps running, at the addresses it has.
func (c *Client) Unsettled(ctx context.Context, cluster string) ([]string, error) {
	list, err := c.api.ServiceList(ctx, swarm.ServiceListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return nil, fmt.Errorf("failed to list services: %w", err)
	}
	var out []string
	for _, s := range list {
		tasks, err := c.api.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", s.ID))})
		if err != nil {
			return nil, fmt.Errorf("failed to list tasks of %s: %w", s.Spec.Name, err)
		}
		out = append(out, unsettled(s, tasks)...)
	}
	return out, nil
}

// taskDone are the states a task does not leave.
var taskDone = map[swarm.TaskState]bool{
	swarm.TaskStateComplete: true, swarm.TaskStateShutdown: true, swarm.TaskStateFailed: true,
	swarm.TaskStateRejected: true, swarm.TaskStateRemove: true, swarm.TaskStateOrphaned: true,
}

func unsettled(s swarm.Service, tasks []swarm.Task) []string {
	var out []string
	running, want := 0, -1 // want: how many tasks run for good
	restarts := s.Spec.TaskTemplate.RestartPolicy == nil || s.Spec.TaskTemplate.RestartPolicy.Condition == swarm.RestartPolicyConditionAny
	if s.Spec.Mode.Replicated != nil && s.Spec.Mode.Replicated.Replicas != nil && restarts {
		want = int(*s.Spec.Mode.Replicated.Replicas)
	}
	for _, t := range tasks {
		switch {
		case taskDone[t.Status.State]:
		case t.DesiredState == swarm.TaskStateRunning && want >= 0:
			if t.Status.State != swarm.TaskStateRunning {
				out = append(out, fmt.Sprintf("%s: task %.12s is %s", s.Spec.Name, t.ID, t.Status.State))
			}
			running++
		case t.DesiredState == swarm.TaskStateRunning || t.DesiredState == swarm.TaskStateComplete:
			out = append(out, fmt.Sprintf("%s: one-shot task %.12s is %s", s.Spec.Name, t.ID, t.Status.State))
		default:
			out = append(out, fmt.Sprintf("%s: task %.12s is told to %s but is %s", s.Spec.Name, t.ID, t.DesiredState, t.Status.State))
		}
	}
	if want >= 0 && running != want {
		out = append(out, fmt.Sprintf("%s: %d tasks to run, want %d", s.Spec.Name, running, want))
	}
	return out
}

// ServiceLastLog returns the last n lines the tasks of a service printed
// (read through a manager), for what to read when a test fails.
func (c *Client) ServiceLastLog(ctx context.Context, service string, n int) string {
	rc, err := c.api.ServiceLogs(ctx, service, container.LogsOptions{ShowStdout: true, ShowStderr: true, Tail: fmt.Sprint(n), Timestamps: true})
	if err != nil {
		return err.Error()
	}
	defer rc.Close()
	r, err := demux(rc)
	if err != nil {
		return err.Error()
	}
	return strings.TrimSpace(string(r.Stdout) + string(r.Stderr))
}
