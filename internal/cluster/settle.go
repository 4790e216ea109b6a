package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/form"
	"github.com/redis-dock/redis-dock/internal/redisx"
)

// waitHealthy polls until the members are healthy or timeout passes. A
// node container found stopped when l was loaded is no member, but it
// keeps the cluster from being healthy: status would say so.
func (l *live) waitHealthy(ctx context.Context, timeout time.Duration) error {
	if len(l.stopped) > 0 {
		var down []string
		for _, c := range l.stopped {
			down = append(down, fmt.Sprintf("%s (%s)", c.Name, c.State))
		}
		return fmt.Errorf("cluster %q is not healthy: node %s not running; `redis-dock heal --name %s` starts it and repairs the cluster",
			l.spec.Name, strings.Join(down, ", "), l.spec.Name)
	}
	ns, names := l.conns()
	return awaitHealthy(ctx, l.spec.Name, ns, names, timeout)
}

// awaitHealthy is every day-2 command's wait for health (form.Poll).
func awaitHealthy(ctx context.Context, name string, ns []*redisx.Node, names []string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if h := form.Poll(ctx, ns, names, nil); !h.OK {
		return fmt.Errorf("cluster %q not healthy within %s: %s (`redis-dock heal --name %s` repairs it)", name, timeout, h, name)
	}
	return nil
}

// waitAgreement polls until every member sees the same slot map, with no
// open slots, and knows every other member; later steps (FORGET,
// REPLICATE) rely on a settled view.
func (l *live) waitAgreement(ctx context.Context, timeout time.Duration) error {
	return l.waitFor(ctx, timeout, l.disagreement)
}

// waitFor refreshes every member until cond reports nothing ("") or
// timeout passes; the error then carries cond's last word. A member that
// does not answer counts as a reason to wait.
func (l *live) waitFor(ctx context.Context, timeout time.Duration, cond func() string) error {
	return l.poll(ctx, timeout, true, cond)
}

// waitAnswering is waitFor for conditions that skip silent members
// (those with err set) themselves.
func (l *live) waitAnswering(ctx context.Context, timeout time.Duration, cond func() string) error {
	return l.poll(ctx, timeout, false, cond)
}

func (l *live) poll(ctx context.Context, timeout time.Duration, strict bool, cond func() string) error {
	deadline := time.Now().Add(timeout)
	for {
		why := ""
		if err := l.refresh(ctx); err != nil && strict {
			why = err.Error()
		} else {
			why = cond()
		}
		if why == "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cluster %q did not settle within %s: %s", l.spec.Name, timeout, why)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster %q did not settle: %s: %w", l.spec.Name, why, ctx.Err())
		case <-time.After(pollInterval):
		}
	}
}

// membership reports a member that does not know another one yet.
func (l *live) membership() string {
	for _, m := range l.members {
		for _, o := range l.members {
			if n, ok := m.sees(o.id()); !ok || n.Has("handshake") || n.Has("noaddr") {
				return fmt.Sprintf("%s does not know %s yet", m.name(), o.name())
			}
		}
	}
	return ""
}

// waitSettled waits for agreement and for every member to report
// cluster_state:ok. A new (or reset) master turns ok only a moment after
// it has learned the slot map; until then it refuses keys from MIGRATE.
func (l *live) waitSettled(ctx context.Context, timeout time.Duration) error {
	return l.waitFor(ctx, timeout, func() string {
		if why := l.disagreement(); why != "" {
			return why
		}
		return l.statesOK(ctx)
	})
}

// statesOK reports a member whose cluster_state is not ok.
func (l *live) statesOK(ctx context.Context) string {
	for _, m := range l.members {
		info, err := m.conn.ClusterInfo(ctx)
		if err != nil {
			return err.Error()
		}
		if info["cluster_state"] != "ok" {
			return fmt.Sprintf("%s reports cluster_state:%s", m.name(), info["cluster_state"])
		}
	}
	return ""
}

// disagreement reports what keeps the members from one settled view.
func (l *live) disagreement() string {
	if why := l.membership(); why != "" {
		return why
	}
	maps := map[string][]string{}
	for _, m := range l.members {
		maps[redisx.SlotMap(m.view)] = append(maps[redisx.SlotMap(m.view)], m.name())
		if len(m.self.Open) > 0 {
			return fmt.Sprintf("%s has open slots", m.name())
		}
	}
	if len(maps) > 1 {
		return "slot maps differ: " + describeMaps(maps)
	}
	return ""
}
