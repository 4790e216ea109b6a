package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// Down removes the lab: its hosts (and with them their engines and
// everything those ran), their volumes (the engines' disks), the network
// and the socket directories. It finds them by label, so it also removes
// a half-made lab, and can run twice.
func Down(ctx context.Context, name string, o Options) (docker.Removed, error) {
	if name == "" {
		return docker.Removed{}, fmt.Errorf("--name: must name a lab")
	}
	st := o.log().Start("Removing lab %q", name)
	defer st.End(false)
	r, err := o.Docker.RemoveCluster(ctx, ClusterLabel(name), true)
	if err != nil {
		return r, err
	}
	removeCgroups(name)
	if err := os.RemoveAll(filepath.Join(RunDir, name)); err != nil {
		return r, fmt.Errorf("failed to remove the lab's socket directories: %w", err)
	}
	st.End(true)
	return r, nil
}

// find returns the containers of lab name, failing when there are none.
func find(ctx context.Context, d *docker.Client, name string) ([]docker.Container, error) {
	hosts, err := d.LabHosts(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(hosts) == 0 {
		return nil, fmt.Errorf("--name %s: no such lab (make it with `redis-dock lab up --name %s`)", name, name)
	}
	return hosts, nil
}

// findHost returns host (full or short name) of lab name.
func findHost(ctx context.Context, d *docker.Client, name, host string) (docker.Container, error) {
	hosts, err := find(ctx, d, name)
	if err != nil {
		return docker.Container{}, err
	}
	full := ResolveHost(name, host)
	var names []string
	for _, h := range hosts {
		if h.Labels[docker.LabelLabHost] == full {
			return h, nil
		}
		names = append(names, h.Labels[docker.LabelLabHost])
	}
	return docker.Container{}, fmt.Errorf("HOST %q: lab %s has the hosts %s", host, name, strings.Join(names, ", "))
}

// Stop stops a lab host, as if the machine went away: its engine and
// every task on it stop; its disk stays. timeout is how long the engine
// gets to stop its containers (0 kills it at once).
func Stop(ctx context.Context, name, host string, timeout int, o Options) error {
	h, err := findHost(ctx, o.Docker, name, host)
	if err != nil {
		return err
	}
	st := o.log().Start("Stopping lab host %s", h.Name)
	defer st.End(false)
	return st.Done(o.Docker.Stop(ctx, h.ID, timeout))
}

// Start starts a stopped lab host and waits until its engine answers;
// Swarm then restarts the tasks placed on it.
func Start(ctx context.Context, name, host string, o Options) error {
	h, err := findHost(ctx, o.Docker, name, host)
	if err != nil {
		return err
	}
	st := o.log().Start("Starting lab host %s", h.Name)
	defer st.End(false)
	if err := o.Docker.Start(ctx, h.ID); err != nil {
		return err
	}
	c, err := waitEngine(ctx, o.Docker, h.ID, Host{Name: h.Name, DockerHost: DockerHost(name, h.Name)})
	if err != nil {
		return err
	}
	c.Close()
	st.End(true)
	return nil
}

// Env is the DOCKER_HOST of the lab's first host, its first manager.
func Env(ctx context.Context, name string, o Options) (string, error) {
	hosts, err := find(ctx, o.Docker, name)
	if err != nil {
		return "", err
	}
	return DockerHost(name, hosts[0].Labels[docker.LabelLabHost]), nil
}
