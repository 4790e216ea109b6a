package swarm

import (
	"context"
	"fmt"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// Status is a deployed stack: its services and, from a check inside the
// overlay, its nodes.
type Status struct {
	Name     string
	Network  string
	Services []ServiceState
	Report   Report
	Healthy  bool
	Problem  string // why it is not healthy
	Verdict  string // VerdictHealthy, VerdictServing or VerdictNotServing
	Missing  string // when not healthy: what is missing or wrong
}

// GetStatus finds the stack of cluster name by label and checks it from
// inside its network, waiting up to wait for health.
func GetStatus(ctx context.Context, name string, wait time.Duration, o Options) (*Status, error) {
	services, p, r, err := findStack(ctx, o.Docker, name, " (deploy it with `redis-dock swarm up` or `docker stack deploy`)")
	if err != nil {
		return nil, err
	}
	st := &Status{Name: name, Network: r.networkName, Services: services}
	st.Report, err = runCheck(ctx, o.Docker, p, r, wait)
	st.Verdict, st.Missing = judge(st.Report, err)
	st.Healthy = st.Verdict == VerdictHealthy
	if err != nil {
		st.Problem = err.Error()
		if lost := lostNodes(ctx, o.Docker, services); lost != "" {
			st.Problem += "; " + lost
			st.Missing = join(st.Missing, lost)
		}
	}
	return st, nil
}

// deployed rebuilds the plan of a deployed stack from its bootstrap's
// spec label and its network's subnet, and finds what a check job mounts,
// by label: the stack may have been deployed under any name.
// findStack finds the services of cluster name on this swarm manager and
// what was deployed; hint ends the error when there are none.
func findStack(ctx context.Context, d *docker.Client, name, hint string) ([]docker.ServiceState, *stackplan.Plan, refs, error) {
	if err := checkManager(ctx, d); err != nil {
		return nil, nil, refs{}, err
	}
	services, err := d.Services(ctx, name)
	if err != nil {
		return nil, nil, refs{}, err
	}
	if len(services) == 0 {
		return nil, nil, refs{}, fmt.Errorf("--name %s: no Swarm services of this cluster%s", name, hint)
	}
	p, r, err := deployed(ctx, d, name, services)
	return services, p, r, err
}

func deployed(ctx context.Context, d *docker.Client, name string, services []docker.ServiceState) (*stackplan.Plan, refs, error) {
	var r refs
	var s Spec
	found := false
	for _, svc := range services {
		if v := svc.Labels[docker.LabelSpec]; v != "" && svc.Labels[docker.LabelRole] == stackplan.BootstrapService {
			var err error
			if s, err = stackplan.ParseSpecLabel(v); err != nil {
				return nil, r, err
			}
			found = true
		}
	}
	if !found {
		return nil, r, fmt.Errorf("cluster %q has no bootstrap service with a %s label: was it made by redis-dock?", name, docker.LabelSpec)
	}
	net, err := d.ClusterOverlay(ctx, name)
	if err != nil {
		return nil, r, err
	}
	sec, err := d.ClusterSecret(ctx, name, "_"+stackplan.PasswordSecret)
	if err != nil {
		return nil, r, err
	}
	r.network, r.networkName, r.secret, r.secretName = net.ID, net.Name, sec.ID, sec.Name
	if s.TLS {
		ca, err := d.ClusterSecret(ctx, name, "_"+stackplan.CASecret)
		if err != nil {
			return nil, r, err
		}
		r.tls = map[string]docker.StackObject{stackplan.CASecret: ca}
	}
	s.Name, s.Subnet, s.Password, s.Wait = name, net.Subnet.String(), "unused", time.Minute // the password stays in its secret
	s.Encrypted = net.Encrypted
	p, err := stackplan.FromSpec(s, false)
	return p, r, err
}

// reuse checks an existing stack instead of deploying it again.
func (u *upRun) reuse(ctx context.Context, s Spec) (*Result, error) {
	services, err := u.o.Docker.Services(ctx, s.Name)
	if err != nil {
		return nil, err
	}
	p, r, err := deployed(ctx, u.o.Docker, s.Name, services)
	if err != nil {
		return nil, err
	}
	if diff := s.Diff(p.Spec); diff != "" {
		return nil, fmt.Errorf("cluster %q is deployed with another spec: %s (remove it with `redis-dock swarm down --name %s`)", s.Name, diff, s.Name)
	}
	u.plan, u.refs = p, r
	u.plan.Spec.Wait = s.Wait
	res, err := u.waitHealthy(ctx)
	if res != nil {
		res.Existing = true
	}
	return res, err
}

// Down removes the stack of cluster name: services, configs, secret,
// network, and the volumes when volumes is true.
func Down(ctx context.Context, name string, volumes bool, o Options) (Removed, error) {
	st := o.log().Start("Removing stack %q", name)
	defer st.End(false)
	if err := o.Docker.Ping(ctx); err != nil {
		return docker.StackRemoved{}, err
	}
	r, err := o.Docker.RemoveStack(ctx, name, volumes)
	if err != nil {
		return r, err
	}
	st.End(true)
	return r, nil
}
