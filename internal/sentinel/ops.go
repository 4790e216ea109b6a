package sentinel

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// IsSentinel reports whether the named cluster's containers say, in their
// spec label, that it is a sentinel group (false when there are none).
func IsSentinel(ctx context.Context, name string, o provision.Options) (bool, error) {
	cts, err := o.Docker.List(ctx, name)
	if err != nil || len(cts) == 0 {
		return false, err
	}
	s, _ := provision.ParseSpecLabel(cts[0].Labels)
	return s.Mode == spec.ModeSentinel, nil
}

// WaitHealthy polls a sentinel group until it is healthy or timeout passes.
func WaitHealthy(ctx context.Context, name string, timeout time.Duration, o provision.Options) error {
	g, err := open(ctx, name, o)
	if err != nil {
		return err
	}
	defer g.close()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last []string
	for {
		g.refresh(ctx, o)
		st := g.status(ctx)
		if st.Healthy {
			return nil
		}
		if ctx.Err() == nil {
			last = st.Problems
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("sentinel group %q not healthy within %s: %s", name, timeout, strings.Join(last, "; "))
		case <-time.After(pollInterval):
		}
	}
}

// refresh rereads the containers' states, which change as nodes are
// killed and started.
func (g *group) refresh(ctx context.Context, o provision.Options) {
	cts, err := o.Docker.List(ctx, g.spec.Name)
	if err != nil {
		return
	}
	state := map[string]string{}
	for _, c := range cts {
		state[c.Name] = c.State
	}
	for i, m := range g.members {
		g.members[i].state = state[m.name]
	}
}

// Master returns the container of the data node that says it is master,
// when exactly one does.
func Master(ctx context.Context, name string, o provision.Options) (docker.Container, error) {
	st, err := GetStatus(ctx, name, o)
	if err != nil {
		return docker.Container{}, err
	}
	var masters []string
	for _, n := range st.Nodes {
		if n.Role == "master" {
			masters = append(masters, n.Name)
		}
	}
	if len(masters) != 1 {
		return docker.Container{}, fmt.Errorf("sentinel group %q has %d masters (%s), want 1", name, len(masters), strings.Join(masters, ", "))
	}
	cts, err := o.Docker.List(ctx, name)
	if err != nil {
		return docker.Container{}, err
	}
	for _, c := range cts {
		if c.Name == masters[0] {
			return c, nil
		}
	}
	return docker.Container{}, fmt.Errorf("container %s of %q is gone", masters[0], name)
}
