package docker

import (
	"reflect"
	"testing"

	"github.com/docker/docker/api/types/swarm"
)

func TestUnsettled(t *testing.T) {
	one := uint64(1)
	svc := swarm.Service{Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: "c_node-7000"},
		Mode: swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &one}}}}
	job := swarm.Service{Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: "c_bootstrap"},
		Mode: swarm.ServiceMode{ReplicatedJob: &swarm.ReplicatedJob{}}}}
	boot := swarm.Service{Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: "c_bootstrap"},
		TaskTemplate: swarm.TaskSpec{RestartPolicy: &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionOnFailure}},
		Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &one}}}}
	task := func(id string, desired, state swarm.TaskState) swarm.Task {
		return swarm.Task{ID: id, DesiredState: desired, Status: swarm.TaskStatus{State: state}}
	}
	run, shut, done := swarm.TaskStateRunning, swarm.TaskStateShutdown, swarm.TaskStateComplete
	for _, c := range []struct {
		name  string
		svc   swarm.Service
		tasks []swarm.Task
		want  []string
	}{
		{"one running", svc, []swarm.Task{task("old", shut, shut), task("new", run, run)}, nil},
		{"replacement pending while its node is away", svc, []swarm.Task{task("old", shut, run), task("new", run, swarm.TaskStatePending)},
			[]string{"c_node-7000: task old is told to shutdown but is running", "c_node-7000: task new is pending"}},
		{"old task still running beside the new", svc, []swarm.Task{task("old", shut, run), task("new", run, run)},
			[]string{"c_node-7000: task old is told to shutdown but is running"}},
		{"none", svc, []swarm.Task{task("old", shut, swarm.TaskStateFailed)}, []string{"c_node-7000: 0 tasks to run, want 1"}},
		{"two", svc, []swarm.Task{task("a", run, run), task("b", run, swarm.TaskStateStarting)},
			[]string{"c_node-7000: task b is starting", "c_node-7000: 2 tasks to run, want 1"}},
		{"job done", job, []swarm.Task{task("j", done, done)}, nil},
		{"job running", job, []swarm.Task{task("j", done, run)}, []string{"c_bootstrap: one-shot task j is running"}},
		{"bootstrap done", boot, []swarm.Task{task("b", shut, done)}, nil},
		{"bootstrap running", boot, []swarm.Task{task("b", run, run)}, []string{"c_bootstrap: one-shot task b is running"}},
	} {
		if got := unsettled(c.svc, c.tasks); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
