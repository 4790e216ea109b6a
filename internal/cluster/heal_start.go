package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"golang.org/x/sync/errgroup"
)

// revive brings back what the fault kit (or life) took away: stopped,
// killed and paused node containers, and nodes cut off their network.
func revive(ctx context.Context, h *handle, res *HealResult, wait time.Duration, o Options) error {
	var err error
	if res.Started, err = startDead(ctx, h, wait, o); err != nil {
		return err
	}
	if res.Reconnected, err = reconnectCut(ctx, h, wait, o); err != nil {
		return err
	}
	awaitSilent(ctx, h, wait, o)
	return nil
}

// silentGrace bounds how long heal gives a running node that does not
// answer yet before it heals without it.
const silentGrace = 30 * time.Second

// awaitSilent gives running node containers that do not answer yet (just
// started by someone else, or still loading their data) time to answer,
// so that heal does not judge the cluster without them. Those still
// silent afterwards are left to dropSilent.
func awaitSilent(ctx context.Context, h *handle, wait time.Duration, o Options) {
	var silent []docker.Container
	var names []string
	for _, c := range h.cts {
		if !c.Running() {
			continue
		}
		n := redisx.Dial(AdminAddr(h.spec, c.Port), h.auth())
		_, err := n.Nodes(ctx)
		n.Close()
		if err != nil {
			silent, names = append(silent, c), append(names, c.Name)
		}
	}
	if len(silent) == 0 {
		return
	}
	st := o.Log().Start("Waiting for %d %s to answer: %s", len(silent), plural(len(silent), "node"), strings.Join(names, " "))
	defer st.End(false)
	ctx, cancel := context.WithTimeout(ctx, min(wait, silentGrace))
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	for _, c := range silent {
		g.Go(func() error { return wake(gctx, h, c, o, nothing) })
	}
	if g.Wait() == nil {
		st.End(true)
	}
}

func nothing(context.Context, *handle, docker.Container, Options) error { return nil }

// startDead starts the cluster's stopped or exited node containers (and
// thaws paused ones), waits until each answers, and marks them running
// in h: a node container that died is the most common fault there is.
func startDead(ctx context.Context, h *handle, wait time.Duration, o Options) ([]string, error) {
	var dead []docker.Container
	var at []int
	for i, c := range h.cts {
		if !c.Running() {
			dead, at = append(dead, c), append(at, i)
		}
	}
	names, err := wakeAll(ctx, h, dead, "Starting", "stopped", wait, o, startOrUnpause)
	if err != nil {
		return names, err
	}
	for _, i := range at {
		h.cts[i].State = "running"
	}
	return names, nil
}

func startOrUnpause(ctx context.Context, h *handle, c docker.Container, o Options) error {
	if c.State == "paused" {
		return o.Docker.Unpause(ctx, c.ID)
	}
	return o.Docker.Start(ctx, c.ID)
}

// reconnectCut attaches running node containers that were cut off their
// cluster's own network (`fault partition`) again, and waits until they
// answer. A mode without such a network has nothing to reconnect.
func reconnectCut(ctx context.Context, h *handle, wait time.Duration, o Options) ([]string, error) {
	if h.spec.Net().Network() == "" {
		return nil, nil
	}
	var cut []docker.Container
	for _, c := range h.cts {
		net, err := h.clusterNetwork(c)
		if err != nil || !c.Running() {
			continue
		}
		if nets, err := o.Docker.Networks(ctx, c.ID); err == nil && !slices.Contains(nets, net) {
			cut = append(cut, c)
		}
	}
	return wakeAll(ctx, h, cut, "Reconnecting", "partitioned", wait, o, reconnect)
}

// wakeAll brings the node containers cts back with do, all at once under
// one status line ("<verb> 2 <state> nodes: names"), within wait, and
// returns their names.
func wakeAll(ctx context.Context, h *handle, cts []docker.Container, verb, state string, wait time.Duration, o Options, do func(context.Context, *handle, docker.Container, Options) error) ([]string, error) {
	if len(cts) == 0 {
		return nil, nil
	}
	names := make([]string, len(cts))
	for i, c := range cts {
		names[i] = c.Name
	}
	st := o.Log().Start("%s %d %s %s: %s", verb, len(cts), state, plural(len(cts), "node"), strings.Join(names, " "))
	defer st.End(false)
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	for _, c := range cts {
		g.Go(func() error { return wake(gctx, h, c, o, do) })
	}
	if err := g.Wait(); err != nil {
		return names, err
	}
	st.End(true)
	return names, nil
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// wake brings one node container back with do and waits until it
// answers CLUSTER NODES.
func wake(ctx context.Context, h *handle, c docker.Container, o Options, do func(context.Context, *handle, docker.Container, Options) error) error {
	if err := do(ctx, h, c, o); err != nil {
		return err
	}
	n := redisx.Dial(AdminAddr(h.spec, c.Port), h.auth())
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
