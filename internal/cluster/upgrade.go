package cluster

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/redis-dock/redis-dock/internal/netmode"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// UpgradeOptions and UpgradeResult are shared with sentinel groups' upgrade.
type (
	UpgradeOptions = provision.UpgradeOptions
	UpgradeResult  = provision.UpgradeResult
)

// Upgrade rolls a new image and/or config through a cluster made by `up`
// (bridge or host network) while it serves: each node's container is
// made again, as `up` makes it, on its own volume (node ID and data),
// address and port. Replicas go first, one at a time, each waited for
// until linked and caught up with its master; then each master is failed
// over to its upgraded replica and replaced as a replica. The cluster is
// checked healthy (bootstrap's verdict) after every node. Settings Redis
// accepts at runtime are set with CONFIG SET and CONFIG REWRITE instead,
// with no restart. Nodes on the new image and config already are
// skipped, so running Upgrade again resumes an interrupted one.
func Upgrade(ctx context.Context, name string, uo UpgradeOptions, o Options) (*UpgradeResult, error) {
	h, err := open(ctx, name, o)
	if err != nil {
		return nil, err
	}
	want, err := upgradeSpec(h, uo)
	if err != nil {
		return nil, err
	}
	ur := &upgradeRun{h: h, want: want, uo: uo, o: o, log: o.Log(), res: &UpgradeResult{Spec: want},
		cr: provision.NewCreation(o, name), changes: map[string][]provision.ConfigChange{}}
	return provision.Upgrading(ctx, ur.cr, h.cts[0].ImageID, uo.DryRun, ur.res, ur.run)
}

// upgradeSpec is the cluster's spec with the new image and config,
// refused when the cluster is not one upgrade can change.
func upgradeSpec(h *handle, uo UpgradeOptions) (spec.Spec, error) {
	s := h.spec
	if s.Mode != "" && s.Mode != spec.ModeCluster {
		return s, fmt.Errorf("cluster %q runs in %s mode: upgrade changes Redis Cluster mode clusters made by `up`", s.Name, s.Mode)
	}
	for _, c := range h.cts {
		if _, ok := provision.ParseSpecLabel(c.Labels); !ok {
			return s, fmt.Errorf("node %s carries no spec label (made by compose or Swarm?): upgrade changes clusters made by `redis-dock up`", c.Name)
		}
	}
	if _, err := netmode.Lookup(s.Network); err != nil {
		return s, fmt.Errorf("cluster %q runs on network %q: upgrade changes clusters on the networks up makes (%s)", s.Name, s.Network, strings.Join(netmode.Names(), ", "))
	}
	return provision.UpgradeSpec(s, uo)
}

// upgradeRun carries one Upgrade's state from step to step.
type upgradeRun struct {
	h       *handle
	want    spec.Spec
	uo      UpgradeOptions
	o       Options
	log     *status.Logger
	res     *UpgradeResult
	cr      *provision.Creation
	imageID string                              // the new image's ID ("" when it is missing: dry run)
	plan    topology.Plan                       // up's plan of the nodes (addresses, role labels)
	changes map[string][]provision.ConfigChange // runtime changes by node
}

func (ur *upgradeRun) run(ctx context.Context) error {
	l, err := ur.prepare(ctx)
	if l != nil {
		defer func() { l.close() }()
	}
	if err != nil {
		return err
	}
	shards, err := ur.shards(ctx, l)
	if err != nil {
		return err
	}
	plan, err := planUpgrade(shards, ur.uo.AllowDowntime)
	if err != nil {
		return err
	}
	ur.res.Plan = plan.String()
	if ur.uo.DryRun {
		return nil
	}
	st := ur.log.Start("Checking cluster %q is healthy before upgrading", ur.want.Name)
	if err := l.waitHealthy(ctx, ur.want.Wait); err != nil {
		st.End(false)
		return err
	}
	st.End(true)
	return ur.execute(ctx, plan)
}

// prepare plans the nodes' addresses, makes sure the new image is there
// and may run here, makes again any node whose container is gone, and
// reads every node, refusing a cluster with a node down.
func (ur *upgradeRun) prepare(ctx context.Context) (*live, error) {
	var err error
	if ur.plan, err = runningPlan(ctx, ur.want, ur.o); err != nil {
		return nil, err
	}
	if !ur.uo.DryRun {
		if err := provision.EnsureImage(ctx, ur.o, ur.want); err != nil {
			return nil, err
		}
	}
	l, err := loadLive(ctx, ur.h, ur.o)
	if err != nil {
		return nil, err
	}
	if err := ur.checkImage(ctx, l); err != nil {
		return l, err
	}
	if !ur.uo.DryRun {
		if l, err = ur.restoreMissing(ctx, l); err != nil {
			return l, err
		}
	}
	return l, l.requireAll()
}

// execute runs the plan's steps in order, stopping between two steps when
// ctx is cancelled (each step ends with the cluster healthy), then records
// the new spec.
func (ur *upgradeRun) execute(ctx context.Context, plan upgradePlan) error {
	for i, step := range plan {
		if err := ctx.Err(); err != nil { // an interrupt: stop between nodes
			return fmt.Errorf("%w after %d of %d upgrade steps (the cluster is healthy; run upgrade again to resume)", err, i, len(plan))
		}
		if err := ur.step(ctx, step); err != nil {
			return fmt.Errorf("upgrade step %d of %d (%s): %w", i+1, len(plan), step, err)
		}
	}
	return ur.finish(ctx)
}

// checkImage reads the new image's ID (run has built a missing
// redis-dock/node tag, as up does) and refuses an image whose Redis major
// version is lower than a running node's: it may not read their data.
func (ur *upgradeRun) checkImage(ctx context.Context, l *live) error {
	id, next, err := provision.NewImage(ctx, ur.o, ur.want.Image, ur.uo.DryRun)
	if err != nil || id == "" {
		return err
	}
	ur.imageID = id
	running, from := "", ""
	for _, m := range l.members {
		inf, err := m.conn.Info(ctx, "server")
		if err != nil {
			return fmt.Errorf("node %s: %w", m.name(), err)
		}
		if v := inf["redis_version"]; provision.Major(v) > provision.Major(running) {
			running, from = v, m.name()
		}
	}
	return provision.CheckRedisVersion(ur.o, ur.want.Image, next, running, from)
}

// shards reads the running shards with each node's action.
func (ur *upgradeRun) shards(ctx context.Context, l *live) ([]shardState, error) {
	var out []shardState
	for _, m := range l.masters() {
		sh := shardState{Empty: m.slots() == 0}
		var err error
		if sh.Master, err = ur.nodeState(ctx, m); err != nil {
			return nil, err
		}
		for _, r := range l.members {
			if !r.master() && r.self.MasterID == m.id() {
				ns, err := ur.nodeState(ctx, r)
				if err != nil {
					return nil, err
				}
				sh.Replicas = append(sh.Replicas, ns)
			}
		}
		out = append(out, sh)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Master.Name < out[j].Master.Name })
	return out, nil
}

// nodeState decides what node m needs: nothing when it runs the new
// image with the new config; the config at runtime when only settings
// Redis accepts at runtime differ; a new container otherwise, and also
// when its container was made with other host settings (limits, or
// before locked containers): only a new container gets them.
func (ur *upgradeRun) nodeState(ctx context.Context, m *member) (nodeState, error) {
	n := ur.planNode(m)
	render := func(sp spec.Spec) ([]byte, error) { return renderNode(sp, n) }
	action, changes, err := provision.DecideNode(ctx, ur.o.Docker, m.ct, m.conn, ur.imageID, ur.want, render, true, ur.res)
	if action == provision.SetNode {
		ur.changes[m.name()] = changes
	}
	return nodeState{Name: m.name(), Action: action}, err
}

// finish records the new spec in every container (see provision.SpecPath) and
// checks health once more.
func (ur *upgradeRun) finish(ctx context.Context) error {
	l, err := ur.reload(ctx)
	if err != nil {
		return err
	}
	defer l.close()
	if err := provision.WriteSpecFile(ctx, ur.o.Docker, l.h.cts, ur.want); err != nil {
		return err
	}
	st := ur.log.Start("Waiting for the cluster to be healthy")
	defer st.End(false)
	if err := l.waitHealthy(ctx, ur.want.Wait); err != nil {
		return err
	}
	st.End(true)
	return nil
}
