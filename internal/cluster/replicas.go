package cluster

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// arrangeReplicas makes every node in others replicate one of masters,
// spread evenly, moving as few as it can. It returns the names of the
// nodes it told to (re)replicate.
func arrangeReplicas(ctx context.Context, l *live, masters, others []*member, wait time.Duration, log *status.Logger) ([]string, error) {
	var ids []string
	for _, m := range masters {
		ids = append(ids, m.id())
	}
	var nodes []topology.Follower
	for _, o := range others {
		r := topology.Follower{ID: o.id()}
		if !o.master() {
			r.Master = o.self.MasterID
		}
		nodes = append(nodes, r)
	}
	plan := topology.SpreadReplicas(ids, nodes)
	if len(plan) == 0 {
		return nil, nil
	}
	st := log.Start("Setting up %d replicas", len(plan))
	defer st.End(false)
	var names []string
	g, gctx := errgroup.WithContext(ctx)
	for id, master := range plan {
		m := l.byID(id)
		names = append(names, m.name())
		g.Go(func() error { return m.conn.Replicate(gctx, master) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	err := l.waitFor(ctx, wait, func() string {
		for id, master := range plan {
			if m := l.byID(id); m.self.MasterID != master {
				return m.name() + " does not replicate its new master yet"
			}
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	st.End(true)
	return names, nil
}

// removeMembers has every other member forget the nodes in gone (CLUSTER
// FORGET bans a node for 60 seconds, so all FORGETs are sent at once,
// then the containers go before the ban ends), and removes their
// containers and volumes. Nodes in gone must own no slots and have no
// replicas that stay.
func removeMembers(ctx context.Context, l *live, gone []*member, o Options, log *status.Logger) error {
	if len(gone) == 0 {
		return nil
	}
	st := log.Start("Removing %d nodes", len(gone))
	defer st.End(false)
	var kept []*member
	for _, m := range l.members {
		if !contains(gone, m) {
			kept = append(kept, m)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, k := range kept {
		g.Go(func() error {
			for _, m := range gone {
				if err := k.conn.Forget(gctx, m.id()); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	g, gctx = errgroup.WithContext(ctx)
	for _, m := range gone {
		m.conn.Close()
		g.Go(func() error {
			return o.Docker.RemoveNode(gctx, m.ct.ID, docker.NodeVolumes(m.ct.Name)...)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	l.members = kept
	st.End(true)
	return nil
}

func contains(ms []*member, m *member) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}
