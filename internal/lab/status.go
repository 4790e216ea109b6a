package lab

import (
	"context"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// HostStatus is one lab host as `lab status` shows it.
type HostStatus struct {
	Name       string
	State      string // the container's: running, exited, ...
	IP         string
	DockerHost string
	NodeID     string // its swarm node, as the managers see it
	Role       string // manager, leader, worker
	Node       string // the swarm's view: ready, down, unknown
	Tasks      int    // swarm tasks running on it
}

// Status lists the lab's hosts and, from a manager that answers, their
// swarm role and state and the tasks running on each.
func Status(ctx context.Context, name string, o Options) ([]HostStatus, error) {
	hosts, err := find(ctx, o.Docker, name)
	if err != nil {
		return nil, err
	}
	out := make([]HostStatus, len(hosts))
	for i, h := range hosts {
		out[i] = HostStatus{Name: h.Name, State: h.State, DockerHost: DockerHost(name, h.Name), Role: "-", Node: "-"}
		if ip, err := o.Docker.IP(ctx, h.ID, NetworkName(name)); err == nil && ip.IsValid() {
			out[i].IP = ip.String()
		}
	}
	members := swarmView(ctx, out)
	for i := range out {
		m, ok := members[out[i].Name]
		if !ok {
			continue
		}
		out[i].NodeID, out[i].Node, out[i].Tasks, out[i].Role = m.ID, m.State, m.Tasks, "worker"
		if m.Manager {
			out[i].Role = "manager"
		}
		if m.Leader {
			out[i].Role = "leader"
		}
	}
	return out, nil
}

// swarmView asks the first running host that is a reachable manager for
// the swarm's nodes, by hostname; empty when none answers.
func swarmView(ctx context.Context, hosts []HostStatus) map[string]docker.SwarmMember {
	out := map[string]docker.SwarmMember{}
	for _, h := range hosts {
		if h.State != "running" {
			continue
		}
		members, ok := askManager(ctx, h.DockerHost)
		if !ok {
			continue
		}
		for _, m := range members {
			out[m.Hostname] = m
		}
		return out
	}
	return out
}

func askManager(ctx context.Context, host string) ([]docker.SwarmMember, bool) {
	c, err := docker.NewAt(host)
	if err != nil {
		return nil, false
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := c.SwarmState(ctx)
	if err != nil || !st.Manager {
		return nil, false
	}
	members, err := c.SwarmMembers(ctx)
	return members, err == nil
}
