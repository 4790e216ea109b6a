package swarm

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// Evacuated says where the nodes of a lost host went.
type Evacuated struct {
	Host     string
	Moved    map[string]string // node (node-7002) -> the host it runs on now
	Warnings []string          // where the placement rule could not hold
	Report   Report
}

// Evacuate re-places the nodes of cluster name whose tasks were on host
// (a Swarm node that is down for good, by hostname or ID) on the ready
// hosts, each away from the other nodes of its master/replica group where
// the host count allows. They start with fresh volumes, so new node IDs;
// the bootstrap runs again and makes them replicas of the masters that
// lost theirs. It waits until the check finds the cluster healthy.
func Evacuate(ctx context.Context, name, host string, wait time.Duration, o Options) (*Evacuated, error) {
	_, p, r, err := findStack(ctx, o.Docker, name, "")
	if err != nil {
		return nil, err
	}
	e := &evacuation{o: o, plan: p, res: &Evacuated{Moved: map[string]string{}}}
	if err := e.find(ctx, host); err != nil {
		return nil, err
	}
	if err := e.move(ctx); err != nil {
		return nil, err
	}
	st := o.log().Start("Waiting for the cluster to be healthy (checked from inside %s)", r.networkName)
	defer st.End(false)
	e.res.Report, err = runCheck(ctx, o.Docker, p, r, wait)
	if err != nil {
		return e.res, err
	}
	st.End(true)
	return e.res, nil
}

type evacuation struct {
	o     Options
	plan  *stackplan.Plan
	res   *Evacuated
	lost  docker.SwarmMember
	ready []docker.SwarmMember
	where map[string]string // node service (node-7000) -> swarm node ID
}

// find reads the swarm: the lost node, the ready ones, where every node
// of the cluster was last placed.
func (e *evacuation) find(ctx context.Context, host string) error {
	members, err := e.o.Docker.SwarmMembers(ctx)
	if err != nil {
		return err
	}
	var names []string
	for _, m := range members {
		names = append(names, m.Hostname)
		if m.Hostname == host || m.ID == host {
			e.lost = m
		}
		if m.State == "ready" && m.Availability == "active" {
			e.ready = append(e.ready, m)
		}
	}
	switch {
	case e.lost.ID == "":
		return fmt.Errorf("HOST %q: no such Swarm node (the nodes are %s)", host, strings.Join(names, ", "))
	case e.lost.State == "ready":
		return fmt.Errorf("HOST %q is ready: evacuate re-places the nodes of a host that is gone (stop it first, or leave it be)", host)
	case len(e.ready) == 0:
		return fmt.Errorf("no Swarm node is ready to take the nodes of %s", host)
	}
	e.res.Host = e.lost.Hostname
	e.where = map[string]string{}
	for _, n := range e.plan.Nodes {
		node, _, err := e.o.Docker.ServicePlacement(ctx, serviceName(e.plan.Spec.Name, n.Service))
		if err != nil {
			return err
		}
		e.where[n.Service] = node
	}
	return nil
}

// move pins every node of the lost host to its new host, then runs the
// bootstrap again so the fresh nodes join.
func (e *evacuation) move(ctx context.Context) error {
	var moving []stackplan.Node
	for _, n := range e.plan.Nodes {
		if e.where[n.Service] == e.lost.ID {
			moving = append(moving, n)
		}
	}
	if len(moving) == 0 {
		return fmt.Errorf("HOST %s runs no node of cluster %q", e.lost.Hostname, e.plan.Spec.Name)
	}
	st := e.o.log().Start("Moving %d nodes off %s", len(moving), e.lost.Hostname)
	defer st.End(false)
	// Gone for good: the swarm forgets the node, so no peer keeps routing
	// the overlay addresses of its old tasks, which new tasks may reuse,
	// to it.
	if err := e.o.Docker.RemoveSwarmNode(ctx, e.lost.ID); err != nil {
		return err
	}
	for _, n := range moving {
		target := e.target(n)
		if err := e.o.Docker.SetConstraints(ctx, serviceName(e.plan.Spec.Name, n.Service), []string{"node.id == " + target.ID}); err != nil {
			return err
		}
		e.where[n.Service] = target.ID
		e.res.Moved[n.Service] = target.Hostname
	}
	return st.Done(e.o.Docker.ForceUpdate(ctx, serviceName(e.plan.Spec.Name, stackplan.BootstrapService)))
}

// target is the ready host for n: one no other node of its group (its
// master and that master's replicas) runs on, the least loaded first.
func (e *evacuation) target(n stackplan.Node) docker.SwarmMember {
	group := n.Index
	if n.Master >= 0 {
		group = n.Master
	}
	busy, load := map[string]bool{}, map[string]int{}
	for _, m := range e.plan.Nodes {
		load[e.where[m.Service]]++
		if m.Service != n.Service && (m.Index == group || m.Master == group) {
			busy[e.where[m.Service]] = true
		}
	}
	cands := append([]docker.SwarmMember(nil), e.ready...)
	sort.SliceStable(cands, func(i, j int) bool {
		if busy[cands[i].ID] != busy[cands[j].ID] {
			return !busy[cands[i].ID]
		}
		return load[cands[i].ID] < load[cands[j].ID]
	})
	if busy[cands[0].ID] {
		e.res.Warnings = append(e.res.Warnings, fmt.Sprintf("%s shares %s with a node of its master/replica group: only %d hosts are ready", n.Service, cands[0].Hostname, len(e.ready)))
	}
	return cands[0]
}
