package docker

import (
	"context"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/swarm"
)

// Service is one Swarm service to create: what redis-dock sets, nothing
// more. ServiceSpec turns it into the SDK's spec.
type Service struct {
	Name            string // full name, <stack>_<short>
	Alias           string // the short name tasks resolve it by on Network
	Image           string
	Command         []string
	Hostname        string
	Labels          map[string]string // of the service
	ContainerLabels map[string]string
	Network         string // network ID
	Configs         []FileRef
	Secrets         []FileRef
	Volume          string            // named volume mounted at VolumeTarget
	VolumeTarget    string            //
	VolumeLabels    map[string]string // set when the engine creates the volume
	Constraints     []string
	Restart         swarm.RestartPolicyCondition // any, on-failure or none
	RestartDelay    time.Duration
	Init            bool
	StopGrace       time.Duration
	Locked          TaskLock // what the task's container may not do
	Memory          int64    // memory limit in bytes; 0: none
	NanoCPUs        int64    // CPU limit in billionths of a CPU; 0: none
}

// TaskLock is a locked-down task container: every capability dropped, a
// read-only root filesystem with tmpfs mounts where it must write, and a
// pids limit. The zero TaskLock locks nothing.
type TaskLock struct {
	CapDrop  []string
	ReadOnly bool
	Tmpfs    []string // targets of small tmpfs mounts (mode 1777)
	Pids     int64
}

// FileRef mounts a config or secret into the service's tasks.
type FileRef struct {
	ID, Name string
	Target   string // path (configs) or file name under /run/secrets
	UID, GID string
	Mode     os.FileMode
}

// Restart conditions for Service.Restart.
const (
	RestartAny       = swarm.RestartPolicyConditionAny
	RestartOnFailure = swarm.RestartPolicyConditionOnFailure
	RestartNever     = swarm.RestartPolicyConditionNone
)

// TmpfsBytes is the size of each of a locked task's tmpfs mounts.
const TmpfsBytes = 16 << 20

// ServiceSpec is the SDK spec of s: one replica, DNS round robin (the
// name resolves to the task, not a virtual IP), stop-first updates. Pure,
// so tests can check it.
func ServiceSpec(s Service) swarm.ServiceSpec {
	one := uint64(1)
	cs := &swarm.ContainerSpec{
		Image: s.Image, Command: s.Command, Hostname: s.Hostname, Labels: s.ContainerLabels, Init: &s.Init,
	}
	if s.StopGrace > 0 {
		cs.StopGracePeriod = &s.StopGrace
	}
	for _, f := range s.Configs {
		cs.Configs = append(cs.Configs, &swarm.ConfigReference{ConfigID: f.ID, ConfigName: f.Name,
			File: &swarm.ConfigReferenceFileTarget{Name: f.Target, UID: f.UID, GID: f.GID, Mode: f.Mode}})
	}
	for _, f := range s.Secrets {
		cs.Secrets = append(cs.Secrets, &swarm.SecretReference{SecretID: f.ID, SecretName: f.Name,
			File: &swarm.SecretReferenceFileTarget{Name: f.Target, UID: f.UID, GID: f.GID, Mode: f.Mode}})
	}
	if s.Volume != "" {
		cs.Mounts = []mount.Mount{{Type: mount.TypeVolume, Source: s.Volume, Target: s.VolumeTarget,
			VolumeOptions: &mount.VolumeOptions{Labels: s.VolumeLabels}}}
	}
	cs.CapabilityDrop, cs.ReadOnly = s.Locked.CapDrop, s.Locked.ReadOnly
	for _, t := range s.Locked.Tmpfs {
		cs.Mounts = append(cs.Mounts, mount.Mount{Type: mount.TypeTmpfs, Target: t, TmpfsOptions: &mount.TmpfsOptions{SizeBytes: TmpfsBytes, Mode: 0o1777}})
	}
	var resources *swarm.ResourceRequirements
	if s.Locked.Pids > 0 || s.Memory > 0 || s.NanoCPUs > 0 {
		resources = &swarm.ResourceRequirements{Limits: &swarm.Limit{Pids: s.Locked.Pids, MemoryBytes: s.Memory, NanoCPUs: s.NanoCPUs}}
	}
	delay := s.RestartDelay
	return swarm.ServiceSpec{
		Annotations: swarm.Annotations{Name: s.Name, Labels: s.Labels},
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: cs,
			Resources:     resources,
			RestartPolicy: &swarm.RestartPolicy{Condition: s.Restart, Delay: &delay},
			Placement:     &swarm.Placement{Constraints: s.Constraints},
			Networks:      []swarm.NetworkAttachmentConfig{{Target: s.Network, Aliases: []string{s.Alias}}},
		},
		Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &one}},
		UpdateConfig: &swarm.UpdateConfig{Order: swarm.UpdateOrderStopFirst},
		EndpointSpec: &swarm.EndpointSpec{Mode: swarm.ResolutionModeDNSRR},
	}
}

// CreateService creates the service.
func (c *Client) CreateService(ctx context.Context, s Service) (string, error) {
	resp, err := c.api.ServiceCreate(ctx, ServiceSpec(s), swarm.ServiceCreateOptions{})
	if err != nil {
		return "", fmt.Errorf("failed to create service %q: %w", s.Name, err)
	}
	return resp.ID, nil
}

// ServiceState is a service and how its tasks are doing.
type ServiceState struct {
	ID, Name string
	Labels   map[string]string
	Running  int // tasks running
	Complete int // tasks that exited 0 (one-shot services)
	Failed   int // tasks that exited otherwise or were rejected
	Last     string
}

// Services lists the services of a cluster ("" for every cluster).
func (c *Client) Services(ctx context.Context, cluster string) ([]ServiceState, error) {
	list, err := c.api.ServiceList(ctx, swarm.ServiceListOptions{Filters: clusterFilter(cluster)})
	if err != nil {
		return nil, fmt.Errorf("failed to list services: %w", err)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Spec.Name < list[j].Spec.Name })
	out := make([]ServiceState, len(list))
	for i, s := range list {
		out[i] = ServiceState{ID: s.ID, Name: s.Spec.Name, Labels: s.Spec.Labels}
		if err := c.countTasks(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *Client) countTasks(ctx context.Context, s *ServiceState) error {
	tasks, err := c.api.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(filters.Arg("service", s.ID))})
	if err != nil {
		return fmt.Errorf("failed to list tasks of %s: %w", s.Name, err)
	}
	for _, t := range tasks {
		switch t.Status.State {
		case swarm.TaskStateRunning:
			s.Running++
		case swarm.TaskStateComplete:
			s.Complete++
		case swarm.TaskStateFailed, swarm.TaskStateRejected:
			s.Failed++
			s.Last = t.Status.Err
		}
	}
	return nil
}

// ForceUpdate redeploys a service's tasks with an unchanged spec, as
// `docker service update --force` does: each task is replaced.
func (c *Client) ForceUpdate(ctx context.Context, name string) error {
	s, _, err := c.api.ServiceInspectWithRaw(ctx, name, swarm.ServiceInspectOptions{})
	if err != nil {
		return fmt.Errorf("failed to inspect service %q: %w", name, err)
	}
	s.Spec.TaskTemplate.ForceUpdate++
	if _, err := c.api.ServiceUpdate(ctx, s.ID, s.Version, s.Spec, swarm.ServiceUpdateOptions{}); err != nil {
		return fmt.Errorf("failed to update service %q: %w", name, err)
	}
	return nil
}

// ServiceContainers lists the local containers of a service's tasks.
func (c *Client) ServiceContainers(ctx context.Context, service string) ([]Container, error) {
	return c.listBy(ctx, filters.NewArgs(filters.Arg("label", "com.docker.swarm.service.name="+service)))
}

func nameFilter(name string) filters.Args { return filters.NewArgs(filters.Arg("name", name)) }
