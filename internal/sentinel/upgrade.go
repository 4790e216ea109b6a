package sentinel

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/tlsca"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// Upgrade rolls a new image and/or config through a sentinel group made
// by `up --mode sentinel` while it serves. Each container is made again,
// as `up` makes it, on its own volume (data nodes), address and port:
// the replicas first, one at a time, each waited for until linked and
// caught up with the master; then the sentinels, one at a time, each
// waited for until it sees the master, its replicas and the other
// sentinels again (the quorum holds); then SENTINEL FAILOVER to an
// up-to-date replica, with the master's writes paused until every
// sentinel names the new master (no acknowledged write is lost), and the
// old master last, as a replica. The group is checked healthy after every
// step. Nodes on the new image and config already are skipped, so running
// Upgrade again resumes an interrupted one.
func Upgrade(ctx context.Context, name string, uo provision.UpgradeOptions, o provision.Options) (*provision.UpgradeResult, error) {
	g, err := open(ctx, name, o)
	if err != nil {
		return nil, err
	}
	g.close()
	want, err := provision.UpgradeSpec(g.spec, uo)
	if err != nil {
		return nil, err
	}
	ur := &upgradeRun{want: want, uo: uo, o: o, log: o.Log(), res: &provision.UpgradeResult{Spec: want},
		cr: provision.NewCreation(o, name), changes: map[string][]provision.ConfigChange{}}
	if !uo.DryRun {
		if err := provision.EnsureImage(ctx, o, want); err != nil {
			return nil, err
		}
	}
	return provision.Upgrading(ctx, ur.cr, g.cts[0].ImageID, uo.DryRun, ur.res, ur.run)
}

// upgradeRun carries one Upgrade's state from step to step.
type upgradeRun struct {
	want    spec.Spec
	uo      provision.UpgradeOptions
	o       provision.Options
	log     *status.Logger
	res     *provision.UpgradeResult
	cr      *provision.Creation
	imageID string                              // the new image's ID ("" when missing: dry run)
	subnet  netip.Prefix                        // the group's network's, when it has one
	changes map[string][]provision.ConfigChange // settings a node takes at runtime, by node
	tls     *tlsca.Authority                    // the group's, nil without --tls
}

func (ur *upgradeRun) run(ctx context.Context) error {
	if net := ur.want.Net().Network(); net != "" {
		subnet, ok, err := ur.o.Docker.NetworkSubnet(ctx, net)
		if err != nil {
			return err
		}
		if !ok || !subnet.IsValid() {
			return fmt.Errorf("sentinel group %q has no network %s with a subnet; recreate it with `redis-dock down` and `up`", ur.want.Name, net)
		}
		ur.subnet = subnet
	}
	g, st, err := ur.read(ctx)
	if err != nil {
		return err
	}
	if !ur.uo.DryRun {
		if g, st, err = ur.restoreMissing(ctx, g, st); err != nil {
			return err
		}
	}
	defer g.close()
	if err := ur.checkImage(ctx, g); err != nil {
		return err
	}
	state, err := ur.state(ctx, g, st)
	if err != nil {
		return err
	}
	plan, err := planUpgrade(state, ur.uo.AllowDowntime)
	if err != nil {
		return err
	}
	ur.res.Plan = plan.String()
	if ur.uo.DryRun {
		return nil
	}
	if err := ur.waitHealthy(ctx, "Checking sentinel group %q is healthy before upgrading", ur.want.Name); err != nil {
		return err
	}
	// Each step is taken from a plan made again from the group as it is
	// then: the sentinels may have moved the master meanwhile (a node
	// judged down under load), and the plan follows them.
	for i := 0; len(plan) > 0; i++ {
		if err := ctx.Err(); err != nil { // an interrupt: stop between nodes
			return fmt.Errorf("%w after %d upgrade steps, %d left (the group is healthy; run upgrade again to resume)", err, i, len(plan))
		}
		if i > 2*len(state.Replicas)+2*len(state.Sentinels)+4 {
			return fmt.Errorf("sentinel group %q: the upgrade makes no progress, %d steps left: %s", ur.want.Name, len(plan), plan)
		}
		if err := ur.step(ctx, plan[0]); err != nil {
			return fmt.Errorf("upgrade step %d (%s): %w", i+1, plan[0], err)
		}
		if plan, err = ur.replan(ctx); err != nil {
			return err
		}
	}
	return ur.finish(ctx)
}

// finish records the new spec in every container (provision.SpecPath),
// so the next run, and `up` with the new spec, see the group current
// also where settings were set at runtime or nothing rendered differed.
func (ur *upgradeRun) finish(ctx context.Context) error {
	g, err := open(ctx, ur.want.Name, ur.o)
	if err != nil {
		return err
	}
	g.close()
	return provision.WriteSpecFile(ctx, ur.o.Docker, g.cts, ur.want)
}

// replan reads the group again and plans what is left.
func (ur *upgradeRun) replan(ctx context.Context) (upgradePlan, error) {
	g, st, err := ur.read(ctx)
	if err != nil {
		return nil, err
	}
	defer g.close()
	skipped := ur.res.Skipped
	state, err := ur.state(ctx, g, st)
	ur.res.Skipped = skipped // counted once, by the first plan
	if err != nil {
		return nil, err
	}
	return planUpgrade(state, ur.uo.AllowDowntime)
}

// read opens the group and reads its status.
func (ur *upgradeRun) read(ctx context.Context) (*group, *Status, error) {
	g, err := open(ctx, ur.want.Name, ur.o)
	if err != nil {
		return nil, nil, err
	}
	g.spec.Password = ur.want.Password
	ur.tls = g.tls
	return g, g.status(ctx), nil
}

// checkImage reads the new image's ID and refuses one whose Redis major
// version is lower than a running node's.
func (ur *upgradeRun) checkImage(ctx context.Context, g *group) error {
	id, next, err := provision.NewImage(ctx, ur.o, ur.want.Image, ur.uo.DryRun)
	if err != nil || id == "" {
		return err
	}
	ur.imageID = id
	running, from := "", ""
	for _, m := range g.members {
		if m.state != "running" {
			continue
		}
		inf, err := m.conn.Info(ctx, "server")
		if err != nil {
			return fmt.Errorf("node %s: %w", m.name, err)
		}
		if v := inf["redis_version"]; provision.Major(v) > provision.Major(running) {
			running, from = v, m.name
		}
	}
	return provision.CheckRedisVersion(ur.o, ur.want.Image, next, running, from)
}

// state reads who is master, replica and sentinel now, and what each
// needs (see action); a group without exactly one master, or with a
// container missing or stopped, is refused.
func (ur *upgradeRun) state(ctx context.Context, g *group, st *Status) (groupState, error) {
	var gs groupState
	planned := plan(ur.want, ur.subnet)
	if len(g.cts) != len(planned) {
		return gs, fmt.Errorf("sentinel group %q has %d of its %d containers (`redis-dock up` with its spec makes the missing ones); then run upgrade again",
			ur.want.Name, len(g.cts), len(planned))
	}
	for _, c := range g.cts {
		if c.State != "running" {
			return gs, fmt.Errorf("node %s is %s, not running (`redis-dock up` with the group's spec starts it); then run upgrade again", c.Name, c.State)
		}
	}
	if st.Master == "" {
		return gs, fmt.Errorf("sentinel group %q has no master now: %v", ur.want.Name, st.Problems)
	}
	nodes := ur.nodes(st)
	node := func(name string) (groupNode, error) {
		for i, c := range g.cts {
			if c.Name != name {
				continue
			}
			for _, n := range nodes {
				if n.Name == name {
					return ur.action(ctx, c, g.members[i], nodes, n)
				}
			}
		}
		return groupNode{Name: name}, nil
	}
	for _, d := range st.Nodes {
		n, err := node(d.Name)
		if err != nil {
			return gs, err
		}
		if d.Name == st.Master {
			gs.Master = n
		} else {
			gs.Replicas = append(gs.Replicas, n)
		}
	}
	for _, v := range st.Sentinels {
		n, err := node(v.Name)
		if err != nil {
			return gs, err
		}
		gs.Sentinels = append(gs.Sentinels, n)
	}
	return gs, nil
}

// action decides what container c (node n) needs: nothing when it runs
// the new image and settings already, or when nothing its config renders
// differs; the new settings at runtime (CONFIG SET, kept in ur.changes)
// when only those a data node accepts at runtime changed; else a new
// container.
func (ur *upgradeRun) action(ctx context.Context, c docker.Container, m member, nodes []topology.Node, n topology.Node) (groupNode, error) {
	render := func(sp spec.Spec) ([]byte, error) { _, b, err := configFile(sp, nodes, n); return b, err }
	action, changes, err := provision.DecideNode(ctx, ur.o.Docker, c, m.conn, ur.imageID, ur.want, render, n.Role != topology.RoleSentinel, ur.res)
	if action == provision.SetNode {
		ur.changes[c.Name] = changes
	}
	return groupNode{Name: c.Name, Current: action == provision.KeepNode, Set: action == provision.SetNode}, err
}

// step runs one step to its end, even when ctx is cancelled meanwhile
// (an interrupt stops the upgrade between nodes, never with one down),
// and checks the group healthy after it.
func (ur *upgradeRun) step(ctx context.Context, s upgradeStep) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*ur.want.Wait)
	defer cancel()
	var err error
	switch s.Kind {
	case stepFailover:
		err = ur.failover(ctx, s)
	case stepSet:
		err = ur.set(ctx, s)
	default:
		err = ur.replace(ctx, s)
	}
	if err != nil {
		return err
	}
	return ur.waitHealthy(ctx, "Waiting for sentinel group %q to be healthy", ur.want.Name)
}

// nodes is the group's plan with the roles it has now: the serving master
// as master, each replica following the node it follows now, so a node
// made again is configured as it runs.
func (ur *upgradeRun) nodes(st *Status) []topology.Node {
	nodes := plan(ur.want, ur.subnet)
	index := map[string]int{}
	for i, n := range nodes {
		index[n.Name] = i
	}
	for i, n := range nodes {
		if n.Role == topology.RoleSentinel {
			continue
		}
		nodes[i].Role, nodes[i].Master = topology.RoleReplica, index[st.Master]
		for _, d := range st.Nodes {
			if d.Name != n.Name {
				continue
			}
			if d.Name == st.Master {
				nodes[i].Role, nodes[i].Master = topology.RoleMaster, -1
			} else if j, ok := index[d.Follows]; ok {
				nodes[i].Master = j
			}
		}
	}
	return nodes
}

// replace makes node s.Node again from the new image and config, then
// waits until it is back: a replica linked to its upstream and caught up
// with the master; a sentinel by the health check that follows.
func (ur *upgradeRun) replace(ctx context.Context, s upgradeStep) error {
	g, st, err := ur.read(ctx)
	if err != nil {
		return err
	}
	defer g.close()
	var ct docker.Container
	var conn member
	for i, c := range g.cts {
		if c.Name == s.Node {
			ct, conn = c, g.members[i]
		}
	}
	if ct.ID == "" {
		return fmt.Errorf("node %s is gone (`redis-dock up` with the group's spec makes it again); then run upgrade again", s.Node)
	}
	if s.Kind != stepDowntime && s.Kind != stepSentinel && st.Master == s.Node {
		return fmt.Errorf("node %s is the master, not a replica, so replacing it would stop writes; run upgrade again to plan anew", s.Node)
	}
	nodes := ur.nodes(st)
	var n topology.Node
	for _, p := range nodes {
		if p.Name == s.Node {
			n = p
		}
	}
	var extra []byte
	what := "replica of " + st.Master
	switch {
	case s.Kind == stepSentinel:
		what = "sentinel"
		// keep its ID, so the other sentinels know it as before
		id, err := conn.conn.Command(ctx, "SENTINEL", "MYID")
		if err != nil {
			return fmt.Errorf("SENTINEL MYID on %s: %w", s.Node, err)
		}
		extra = []byte(fmt.Sprintf("sentinel myid %v\n", id))
	case s.Kind == stepDowntime:
		what = "master without replica: writes fail until it is back"
	case s.Kind == stepOldM:
		what = "the old master, now a replica of " + st.Master
	}
	st0 := ur.log.Start("Replacing %s (%s)", s.Node, what)
	defer st0.End(false)
	u := &upRun{spec: ur.want, o: ur.o, log: ur.log, cr: ur.cr, nodes: nodes, tls: ur.tls}
	err = provision.Recreate(ctx, ur.o, ct, func(ctx context.Context) error { return u.startNodeWith(ctx, n, extra) })
	if err != nil {
		return err
	}
	ur.res.Replaced = append(ur.res.Replaced, s.Node)
	if n.Role != topology.RoleSentinel {
		if err := ur.waitBack(ctx, n, st.Master); err != nil {
			return err
		}
	}
	st0.End(true)
	return nil
}

// restoreMissing makes again, from the new image and config, every node
// whose container is gone: an upgrade killed (SIGKILL, a crash) between
// removing a node's container and making it again leaves that. A data
// node comes back on its volume as a replica of the master now; a
// sentinel rejoins (its old ID is forgotten by the others). Then it waits
// until the group is healthy.
func (ur *upgradeRun) restoreMissing(ctx context.Context, g *group, st *Status) (*group, *Status, error) {
	have := map[string]bool{}
	for _, c := range g.cts {
		have[c.Name] = true
	}
	var missing []topology.Node
	nodes := ur.nodes(st)
	for _, n := range nodes {
		if !have[n.Name] {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return g, st, nil
	}
	g.close()
	if st.Master == "" {
		return nil, nil, fmt.Errorf("sentinel group %q has no master and %d containers gone: restore it with `redis-dock up` and its spec first", ur.want.Name, len(missing))
	}
	u := &upRun{spec: ur.want, o: ur.o, log: ur.log, cr: ur.cr, nodes: nodes, tls: ur.tls}
	for _, n := range missing {
		line := ur.log.Start("Making node %s again (its container is gone)", n.Name)
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*ur.want.Wait)
		err := u.startNode(fctx, n)
		cancel()
		if err != nil {
			line.End(false)
			return nil, nil, fmt.Errorf("failed to make node %s again: %w", n.Name, err)
		}
		ur.res.Replaced = append(ur.res.Replaced, n.Name)
		line.End(true)
	}
	if err := ur.waitHealthy(ctx, "Waiting for sentinel group %q to be healthy", ur.want.Name); err != nil {
		return nil, nil, err
	}
	return ur.read(ctx)
}
