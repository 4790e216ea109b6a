package form

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/redisx"
)

// Health is the verdict on a cluster, as its clients see it: every node
// reports cluster_state:ok, knows every node with no link down and no
// open slot, all share one slot map, every replica's link to its master
// is up, and CLUSTER SLOTS on every node hands out every master with all
// its replicas at endpoints all nodes agree on.
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

// CheckHealth looks at every node once, concurrently. It only reads.
func CheckHealth(ctx context.Context, ns []*redisx.Node, names []string) Health {
	return judge(look(ctx, ns, names))
}

// nodeView is one node's answers to one health check.
type nodeView struct {
	name  string
	err   error
	info  map[string]string // CLUSTER INFO
	nodes []redisx.ClusterNode
	slots []redisx.SlotRange
	repl  map[string]string // INFO replication
}

func (v nodeView) myself() redisx.ClusterNode {
	me, _ := redisx.Myself(v.nodes)
	return me
}

// look asks every node, in one round trip each, what health is judged on.
func look(ctx context.Context, ns []*redisx.Node, names []string) []nodeView {
	views := make([]nodeView, len(ns))
	_ = Each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		views[i] = lookOne(ctx, n, names[i])
		return nil
	})
	return views
}

func lookOne(ctx context.Context, n *redisx.Node, name string) nodeView {
	v := nodeView{name: name}
	r := n.Pipeline(ctx, []any{"CLUSTER", "INFO"}, []any{"CLUSTER", "NODES"}, []any{"CLUSTER", "SLOTS"}, []any{"INFO", "replication"})
	for _, x := range r {
		if x.Err != nil {
			v.err = x.Err
			return v
		}
	}
	info, err1 := r[0].Text()
	nodes, err2 := r[1].Text()
	repl, err3 := r[3].Text()
	if v.err = firstErr(err1, err2, err3); v.err != nil {
		return v
	}
	v.info, v.repl = redisx.ParseInfo(info), redisx.ParseInfo(repl)
	if v.nodes, v.err = redisx.ParseNodes(nodes); v.err != nil {
		return v
	}
	v.slots, v.err = redisx.ParseSlots(r[2].Val)
	return v
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// judge turns one nodeView into a verdict; it is pure, so tests feed it.
func judge(views []nodeView) Health {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	maps := map[string][]string{}
	names := idNamesOf(views)
	endpoints := map[string]map[string][]string{} // node ID -> endpoint -> nodes handing it out
	roles := selfRoles(views)
	for _, v := range views {
		if v.err != nil {
			add("%s does not answer: %v", v.name, v.err)
			continue
		}
		judgeNode(v, len(views), add)
		judgeRoles(v, roles, names, add)
		judgeClientView(v, names, endpoints, add)
		maps[redisx.SlotMap(v.nodes)] = append(maps[redisx.SlotMap(v.nodes)], v.name)
	}
	if len(maps) > 1 {
		add("nodes disagree on the slot map: %s", DescribeMaps(maps))
	}
	for id, eps := range endpoints {
		if len(eps) > 1 {
			add("nodes disagree on the endpoint of %s: %s", names.of(id), DescribeMaps(eps))
		}
	}
	sort.Strings(problems)
	return Health{OK: len(problems) == 0, Problems: problems}
}

// judgeNode checks what one node says of itself and of its peers.
func judgeNode(v nodeView, want int, add func(string, ...any)) {
	if v.info["cluster_state"] != "ok" {
		add("%s reports cluster_state:%s", v.name, v.info["cluster_state"])
	}
	if len(v.nodes) != want {
		add("%s knows %d nodes, want %d", v.name, len(v.nodes), want)
	}
	for _, cn := range v.nodes {
		switch {
		case cn.Has("myself"):
		case cn.Failing():
			add("%s sees %s:%d as failing", v.name, cn.IP, cn.Port)
		case !cn.Connected:
			add("bus link from %s to %s:%d is down", v.name, cn.IP, cn.Port)
		}
		if len(cn.Open) > 0 {
			add("%s:%d has open slots %s", cn.IP, cn.Port, strings.Join(cn.Open, " "))
		}
	}
	if !v.myself().IsMaster() && v.repl["master_link_status"] != "up" {
		add("replica %s: master_link_status:%s", v.name, v.repl["master_link_status"])
	}
}

// selfRoles maps every answering node's ID to the master it says it
// replicates ("" for a master).
func selfRoles(views []nodeView) map[string]string {
	roles := map[string]string{}
	for _, v := range views {
		if v.err == nil {
			me := v.myself()
			roles[me.ID] = me.MasterID
		}
	}
	return roles
}

// judgeRoles checks that v sees every node in the role the node itself
// claims. A node learns another's role only from packets that one sends
// it, so right after REPLICATE a peer may still take the replica for a
// master, and its CLUSTER SLOTS then hands out no replica at all.
func judgeRoles(v nodeView, roles map[string]string, names idNames, add func(string, ...any)) {
	for _, cn := range v.nodes {
		want, ok := roles[cn.ID]
		if !ok || cn.Has("myself") || cn.MasterID == want {
			continue
		}
		add("%s sees %s as %s, but it is %s", v.name, names.of(cn.ID), roleOf(cn.MasterID, names), roleOf(want, names))
	}
}

func roleOf(masterID string, names idNames) string {
	if masterID == "" {
		return "a master"
	}
	return "a replica of " + names.of(masterID)
}

// judgeClientView checks CLUSTER SLOTS, the topology a client gets from
// v: every slot range names its master and every replica the node knows
// that master has (Redis leaves out a replica whose replication offset it
// believes to be 0), each at a known endpoint. Endpoints are collected
// so that judge can check all nodes hand out the same ones.
func judgeClientView(v nodeView, names idNames, endpoints map[string]map[string][]string, add func(string, ...any)) {
	want := map[string][]string{} // master ID -> replica IDs
	for _, cn := range v.nodes {
		if !cn.IsMaster() && cn.MasterID != "" && !cn.Failing() && !cn.Has("handshake") && !cn.Has("noaddr") {
			want[cn.MasterID] = append(want[cn.MasterID], cn.ID)
		}
	}
	missing := map[string]bool{}
	for _, r := range v.slots {
		listed := map[string]bool{}
		for _, sn := range append([]redisx.SlotNode{r.Master}, r.Replicas...) {
			listed[sn.ID] = true
			if sn.Endpoint == "" || sn.Endpoint == "?" {
				add("CLUSTER SLOTS on %s gives no endpoint for %s", v.name, names.of(sn.ID))
				continue
			}
			if endpoints[sn.ID] == nil {
				endpoints[sn.ID] = map[string][]string{}
			}
			ep := sn.Addr()
			if !slices.Contains(endpoints[sn.ID][ep], v.name) {
				endpoints[sn.ID][ep] = append(endpoints[sn.ID][ep], v.name)
			}
		}
		for _, id := range want[r.Master.ID] {
			if !listed[id] {
				missing[id] = true
			}
		}
	}
	if len(missing) > 0 {
		var left []string
		for id := range missing {
			left = append(left, names.of(id))
		}
		sort.Strings(left)
		add("CLUSTER SLOTS on %s leaves out replica %s", v.name, strings.Join(left, ", "))
	}
}

// idNames names nodes by ID in reports: a member's name, else a short ID.
type idNames map[string]string

func idNamesOf(views []nodeView) idNames {
	m := idNames{}
	for _, v := range views {
		if v.err == nil {
			m[v.myself().ID] = v.name
		}
	}
	return m
}

func (m idNames) of(id string) string {
	if n, ok := m[id]; ok {
		return n
	}
	if len(id) > 8 {
		return id[:8]
	}
	return id
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

// Poll checks health every PollInterval until it is healthy or ctx ends,
// and returns the last verdict (an unfinished check never replaces a
// finished one). Between checks it nudges what Redis would otherwise take
// seconds to settle (see nudger); seen is called with every new verdict.
func Poll(ctx context.Context, ns []*redisx.Node, names []string, seen func(Health)) Health {
	return poll(ctx, ns, names, newNudger(), seen)
}

func poll(ctx context.Context, ns []*redisx.Node, names []string, nd *nudger, seen func(Health)) Health {
	defer nd.restore(ns)
	last := Health{Problems: []string{"no check finished"}}
	for {
		views := look(ctx, ns, names)
		h := judge(views)
		if h.OK {
			return h
		}
		if ctx.Err() != nil {
			return last
		}
		if seen != nil && h.String() != last.String() {
			seen(h)
		}
		last = h
		nd.nudge(ctx, ns, views)
		select {
		case <-ctx.Done():
			return last
		case <-time.After(PollInterval):
		}
	}
}

// WaitHealthy polls health until healthy or --wait ends; the error then
// says what was still wrong. Masters that forming lowered the ping period
// of (see Stream) get theirs back here.
func (c *Cluster) WaitHealthy(ctx context.Context, ns []*redisx.Node) error {
	st := c.log().Start("Waiting for the cluster to be healthy")
	defer st.End(false)
	h := poll(ctx, ns, c.Names(), c.nudger(), func(h Health) { c.log().V(2, "   not healthy yet: %s", h) })
	if !h.OK {
		return fmt.Errorf("cluster %q not healthy within --wait %s: %s", c.Name, c.Wait, h)
	}
	st.End(true)
	return nil
}
