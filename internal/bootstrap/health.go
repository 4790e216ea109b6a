package bootstrap

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
)

// Health is the verdict on a cluster: healthy means every node reports
// cluster_state:ok, all see the same slot map and every node, and every
// replica's link to its master is up.
type Health struct {
	OK       bool
	Problems []string
}

func (h Health) String() string {
	if h.OK {
		return "healthy"
	}
	return strings.Join(h.Problems, "; ")
}

// CheckHealth looks at every node once, concurrently.
func CheckHealth(ctx context.Context, ns []*redisx.Node, names []string) Health {
	var mu sync.Mutex
	var problems []string
	maps := map[string][]string{}
	add := func(format string, args ...any) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	_ = Each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		m, err := nodeHealth(ctx, n, names[i], len(ns), add)
		if err == nil {
			mu.Lock()
			maps[m] = append(maps[m], names[i])
			mu.Unlock()
		}
		return nil
	})
	if len(maps) > 1 {
		add("nodes disagree on the slot map: %s", DescribeMaps(maps))
	}
	sort.Strings(problems)
	return Health{OK: len(problems) == 0, Problems: problems}
}

// nodeHealth checks one node and returns its slot map.
func nodeHealth(ctx context.Context, n *redisx.Node, name string, want int, add func(string, ...any)) (string, error) {
	info, err := n.ClusterInfo(ctx)
	if err != nil {
		add("%s does not answer: %v", name, err)
		return "", err
	}
	if info["cluster_state"] != "ok" {
		add("%s reports cluster_state:%s", name, info["cluster_state"])
	}
	nodes, err := n.Nodes(ctx)
	if err != nil {
		add("%s: %v", name, err)
		return "", err
	}
	if len(nodes) != want {
		add("%s knows %d nodes, want %d", name, len(nodes), want)
	}
	for _, cn := range nodes {
		switch {
		case cn.Has("myself"):
		case cn.Failing():
			add("%s sees %s:%d as failing", name, cn.IP, cn.Port)
		case !cn.Connected:
			add("bus link from %s to %s:%d is down", name, cn.IP, cn.Port)
		}
		if len(cn.Open) > 0 {
			add("%s:%d has open slots %s", cn.IP, cn.Port, strings.Join(cn.Open, " "))
		}
	}
	if me, _ := redisx.Myself(nodes); !me.IsMaster() {
		repl, err := n.Info(ctx, "replication")
		if err != nil {
			add("%s: %v", name, err)
		} else if repl["master_link_status"] != "up" {
			add("replica %s: master_link_status:%s", name, repl["master_link_status"])
		}
	}
	return redisx.SlotMap(nodes), nil
}

// DescribeMaps renders groups of nodes that share a slot map.
func DescribeMaps(maps map[string][]string) string {
	var parts []string
	for _, names := range maps {
		sort.Strings(names)
		parts = append(parts, fmt.Sprintf("[%s]", strings.Join(names, " ")))
	}
	sort.Strings(parts)
	return strings.Join(parts, " vs ")
}

// WaitHealthy polls health every PollInterval until healthy or --wait ends;
// the error then says what was still wrong.
func (c *Cluster) WaitHealthy(ctx context.Context, ns []*redisx.Node) error {
	st := c.log().Start("Waiting for the cluster to be healthy")
	defer st.End(false)
	names := c.Names()
	last := Health{Problems: []string{"no check finished"}}
	for {
		h := CheckHealth(ctx, ns, names)
		if h.OK {
			st.End(true)
			return nil
		}
		if ctx.Err() == nil {
			if h.String() != last.String() {
				c.log().V(2, "   not healthy yet: %s", h)
			}
			last = h
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster %q not healthy within --wait %s: %s", c.Name, c.Wait, last)
		case <-time.After(PollInterval):
		}
	}
}
