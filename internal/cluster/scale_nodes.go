package cluster

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// addNodes starts the nodes missing below the new size exactly as `up`
// starts them (same config, labels, volume, static address from the
// cluster's subnet), with the new spec in their label, and has them MEET
// the cluster.
func (sc *scaleRun) addNodes(ctx context.Context, roles rolePlan) error {
	nodes, err := sc.missingNodes(ctx, roles)
	if err != nil || len(nodes) == 0 {
		return err
	}
	u := &upRun{spec: sc.want, o: sc.o, log: sc.log, plan: topology.Plan{Nodes: nodes}, cr: sc.cr, tls: sc.h.tls}
	if err := u.checkPorts(); err != nil {
		return err
	}
	if err := provision.EnsureImage(ctx, u.o, u.spec); err != nil {
		return err
	}
	for _, n := range nodes { // a new node starts empty, never from an old node's volume
		if err := sc.o.Docker.RemoveVolume(ctx, docker.VolumeName(n.Name)); err != nil {
			return err
		}
	}
	if err := sc.startNodes(ctx, u); err != nil {
		return sc.undoAdded(ctx, err)
	}
	if err := u.readAddresses(ctx); err != nil {
		return sc.undoAdded(ctx, err)
	}
	for _, n := range nodes {
		sc.res.Added = append(sc.res.Added, n.Name)
	}
	if err := sc.load(ctx); err != nil && !isSilent(sc.l) {
		return err
	}
	if err := ctx.Err(); err != nil {
		return sc.undoAdded(ctx, err)
	}
	mctx, cancel := finishing(ctx) // a node half met would stay half in the cluster
	defer cancel()
	if err := sc.meet(mctx); err != nil {
		return err
	}
	return ctx.Err()
}

// undoAdded removes the nodes this run started, by ID, when it stops
// (an interrupt, a port taken) before they joined the cluster: nothing
// knows them yet. Errors of other kinds keep them for the next run.
func (sc *scaleRun) undoAdded(ctx context.Context, err error) error {
	if ctx.Err() == nil && !errors.Is(err, ErrPortInUse) {
		return err
	}
	sc.res.Added = nil
	return sc.cr.Finish(ctx, err)
}

// startNodes starts the new nodes with up's own startNode, all at once.
// It does not use up's startNodes: that one has fresh masters claim their
// planned slots, and a node joining a running cluster must stay empty.
func (sc *scaleRun) startNodes(ctx context.Context, u *upRun) error {
	st := sc.log.Start("Starting %d nodes", len(u.plan.Nodes))
	defer st.End(false)
	g, gctx := errgroup.WithContext(ctx)
	for _, n := range u.plan.Nodes {
		g.Go(func() error { return u.startNode(gctx, n) })
	}
	return st.Done(g.Wait())
}

// missingNodes plans the nodes to create: indexes below the new size that
// have no container, with `up`'s ports and addresses for those indexes.
func (sc *scaleRun) missingNodes(ctx context.Context, roles rolePlan) ([]topology.Node, error) {
	plan, err := runningPlan(ctx, sc.want, sc.o)
	if err != nil {
		return nil, err
	}
	var out []topology.Node
	for _, n := range plan.Nodes {
		if sc.l.byIndex(n.Index) != nil {
			continue
		}
		n.Slots, n.Master, n.Role = nil, -1, topology.RoleReplica
		if slices.Contains(roles.Masters, n.Index) {
			n.Role = topology.RoleMaster
		}
		out = append(out, n)
	}
	return out, nil
}

// isSilent reports whether the only trouble is nodes that do not answer
// yet (new nodes still starting), which meet waits for.
func isSilent(l *live) bool { return l != nil && len(l.stopped) == 0 }

// meet waits for every node to answer, checks that new nodes are empty,
// has every node that does not know all others MEET them, and waits
// until everyone knows everyone.
func (sc *scaleRun) meet(ctx context.Context) error {
	st := sc.log.Start("Adding new nodes to the cluster")
	defer st.End(false)
	ctx, cancel := context.WithTimeout(ctx, sc.want.Wait)
	defer cancel()
	ns, _ := sc.l.conns()
	if err := each(ctx, ns, func(ctx context.Context, _ int, n *redisx.Node) error { return n.WaitPing(ctx, pollInterval) }); err != nil {
		return err
	}
	if err := sc.l.refresh(ctx); err != nil {
		return err
	}
	for _, m := range sc.l.members {
		if err := sc.meetOne(ctx, m); err != nil {
			return err
		}
	}
	return st.Done(sc.l.waitSettled(ctx, sc.want.Wait))
}

// meetOne has m MEET the members it does not know, after checking that a
// node in no cluster yet holds no keys. A node in no cluster meets all.
func (sc *scaleRun) meetOne(ctx context.Context, m *member) error {
	if m.fresh() {
		keys, err := m.conn.DBSize(ctx)
		if err != nil {
			return err
		}
		if keys > 0 {
			return fmt.Errorf("node %s holds %d keys but is in no cluster; refusing to add it", m.name(), keys)
		}
	}
	var peers []redisx.Peer
	for _, o := range sc.l.members {
		if _, ok := m.sees(o.id()); !ok && (m.fresh() || !o.fresh()) { // a fresh node's own MEET is enough
			peers = append(peers, o.peerOf())
		}
	}
	return m.conn.MeetAll(ctx, peers)
}

// runningPlan is `up`'s plan of s's nodes (ports, roles, static addresses
// on the subnet the cluster's network has), for a cluster that runs: the
// nodes scale adds and the ones upgrade makes again get these.
func runningPlan(ctx context.Context, s spec.Spec, o Options) (topology.Plan, error) {
	p := topology.Params{Cluster: s.Name, Masters: s.Masters, Replicas: s.Replicas,
		Port: s.Port, BusPort: s.FirstBusPort()}
	if net := s.Net().Network(); net != "" {
		subnet, ok, err := o.Docker.NetworkSubnet(ctx, net)
		if err != nil {
			return topology.Plan{}, err
		}
		if !ok || !subnet.IsValid() {
			return topology.Plan{}, fmt.Errorf("cluster %q has no network %s with a subnet; recreate it with `redis-dock down` and `up`", s.Name, net)
		}
		p.Subnet = subnet
	}
	return topology.New(p), nil
}
