package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"golang.org/x/sync/errgroup"
)

// startDead starts the cluster's stopped or exited node containers (and
// thaws paused ones), waits until each answers, and marks them running
// in h: a node container that died is the most common fault there is.
func startDead(ctx context.Context, h *handle, wait time.Duration, o Options) ([]string, error) {
	var dead []int
	var names []string
	for i, c := range h.cts {
		if !c.Running() {
			dead, names = append(dead, i), append(names, c.Name)
		}
	}
	if len(dead) == 0 {
		return nil, nil
	}
	st := o.log().Start("Starting %d stopped nodes: %s", len(dead), strings.Join(names, " "))
	defer st.End(false)
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	for _, i := range dead {
		g.Go(func() error { return wake(gctx, h, h.cts[i], o) })
	}
	if err := g.Wait(); err != nil {
		return names, err
	}
	for _, i := range dead {
		h.cts[i].State = "running"
	}
	st.End(true)
	return names, nil
}

// wake starts (or unpauses) one node container and waits until it
// answers CLUSTER NODES.
func wake(ctx context.Context, h *handle, c docker.Container, o Options) error {
	var err error
	if c.State == "paused" {
		err = o.Docker.Unpause(ctx, c.ID)
	} else {
		err = o.Docker.Start(ctx, c.ID)
	}
	if err != nil {
		return err
	}
	n := redisx.Dial(AdminAddr(h.spec, c.Port), h.spec.Password)
	defer n.Close()
	for {
		_, err := n.Nodes(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("node %s was started but does not answer: %w", c.Name, err)
		case <-time.After(pollInterval):
		}
	}
}
