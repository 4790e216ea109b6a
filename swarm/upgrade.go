package swarm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// UpgradeOptions say what Upgrade rolls through a stack: the image (a
// Swarm upgrade changes no config: render the stack again for that),
// whether masters without replica may go down, a dry run, and how long
// to wait for each node.
type UpgradeOptions = provision.UpgradeOptions

// UpgradeResult is what Upgrade did (or, dry, would do).
type UpgradeResult = provision.UpgradeResult

// Upgrade rolls a new node image through the Swarm stack of cluster name
// while it serves, through service updates, one service at a time: the
// replicas' services first, each waited for until its new task runs and
// the cluster is healthy again with the node's ID unchanged (its volume);
// then, for each master, CLUSTER FAILOVER to its upgraded replica (run
// from a job on the overlay, where the nodes are), and the old master's
// service last, which comes back as a replica. The check between steps
// is the one `swarm status` runs. Services on the new image already are
// skipped, so running Upgrade again resumes an interrupted one.
func Upgrade(ctx context.Context, name string, uo UpgradeOptions, o Options) (*UpgradeResult, error) {
	begin := time.Now()
	if uo.Image == "" {
		return nil, errors.New("--image: name the new node image (swarm upgrade rolls an image; for another config, render the stack again)")
	}
	if uo.Config != nil {
		return nil, errors.New("--config: swarm upgrade rolls a new image only; a stack's config is a Swarm config: render the stack again (`redis-dock stack render`) and deploy it")
	}
	if uo.Wait <= 0 {
		uo.Wait = time.Minute
	}
	_, p, r, err := findStack(ctx, o.Docker, name, "")
	if err != nil {
		return nil, err
	}
	u := &stackUpgrade{o: o, uo: uo, plan: p, refs: r, res: &UpgradeResult{Spec: p.Spec}}
	u.res.Spec.Image, u.res.Spec.Password = uo.Image, ""
	if err := u.checkImage(ctx); err != nil {
		return nil, err
	}
	// jobs run the new image: its agent knows every action the upgrade asks
	u.plan.Spec.Image = uo.Image
	st := o.log().Start("Checking cluster %q is healthy before upgrading (from inside %s)", name, r.networkName)
	rep, err := runCheck(ctx, o.Docker, u.plan, r, uo.Wait)
	if err != nil {
		st.End(false)
		return nil, err
	}
	st.End(true)
	u.ids = map[string]string{}
	for _, n := range rep.Nodes {
		u.ids[n.Name] = n.ID
	}
	plan, err := u.planFrom(ctx, rep)
	if err != nil {
		return nil, err
	}
	u.res.Plan = plan.String()
	if uo.DryRun {
		return u.res, nil
	}
	for i, s := range plan {
		if err := ctx.Err(); err != nil { // an interrupt: stop between steps
			return u.res, fmt.Errorf("%w after %d upgrade steps, %d left (the cluster is healthy; run swarm upgrade again to resume)", err, i, len(plan)-i)
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*uo.Wait+2*time.Minute)
		err := u.step(sctx, s)
		cancel()
		if err != nil {
			return u.res, fmt.Errorf("upgrade step %d (%s): %w", i+1, s, err)
		}
	}
	if err := u.record(ctx); err != nil {
		return u.res, err
	}
	u.res.Elapsed = time.Since(begin)
	return u.res, nil
}

// stackUpgrade carries one Upgrade's state from step to step.
type stackUpgrade struct {
	o       Options
	uo      UpgradeOptions
	plan    *stackplan.Plan
	refs    refs
	res     *UpgradeResult
	imageID string
	ids     map[string]string // node ID by node name, before the upgrade
}

// checkImage reads the new image's ID on this engine and refuses one
// whose Redis major version is lower than the one the nodes run (read
// from the running image's label: the nodes are not reachable from here).
func (u *stackUpgrade) checkImage(ctx context.Context) error {
	po := provision.Options{Docker: u.o.Docker, Logger: u.o.log()}
	id, next, err := provision.NewImage(ctx, po, u.uo.Image, u.uo.DryRun)
	if err != nil {
		return fmt.Errorf("--image %s: %w (on a multi-host swarm every host needs it, as for `swarm up`)", u.uo.Image, err)
	}
	u.imageID = id
	old, err := u.o.Docker.ImageInspect(ctx, u.plan.Spec.Image)
	if err != nil || id == "" {
		return nil // the running image is not on this engine: nothing to compare with
	}
	return provision.CheckRedisVersion(po, u.uo.Image, next, old.Labels[images.LabelRedisVersion], "image "+u.plan.Spec.Image)
}

// current reports whether node's service runs the new image already: the
// service names it and its tasks' containers on this engine (all of them
// on a single-host swarm) were made from the new image's ID.
func (u *stackUpgrade) current(ctx context.Context, node string) (bool, error) {
	svc := serviceName(u.plan.Spec.Name, node)
	img, err := u.o.Docker.ServiceImage(ctx, svc)
	if err != nil || img != u.uo.Image {
		return false, err
	}
	cts, err := u.o.Docker.ServiceContainers(ctx, svc)
	if err != nil {
		return false, err
	}
	for _, c := range cts {
		if c.State == "running" && c.ImageID != u.imageID {
			return false, nil
		}
	}
	return true, nil
}

// planFrom orders the work from what the check found (see upgradePlan),
// asking the engine which services run the new image already.
func (u *stackUpgrade) planFrom(ctx context.Context, rep Report) (provision.Plan[provision.Step], error) {
	plan, skipped, err := upgradePlan(rep, u.uo.AllowDowntime, func(node string) (bool, error) { return u.current(ctx, node) })
	u.res.Skipped = append(u.res.Skipped, skipped...)
	return plan, err
}

// upgradePlan orders the work from a check's report: every replica not
// current, one at a time; then each master not current, failed over to
// its first replica and replaced as a replica. A master without a
// replica that serves slots is refused, naming it, unless downtime is
// allowed. current says whether a node's service runs the new image
// already (those are skipped, so a second run resumes).
func upgradePlan(rep Report, allowDowntime bool, current func(node string) (bool, error)) (plan provision.Plan[provision.Step], skipped []string, err error) {
	var alone []string
	byID := map[string]string{}
	for _, n := range rep.Nodes {
		byID[n.ID] = n.Name
	}
	var masters []NodeReport
	for _, n := range rep.Nodes {
		if n.Role == "master" {
			masters = append(masters, n)
			continue
		}
		cur, err := current(n.Name)
		if err != nil {
			return nil, nil, err
		}
		if cur {
			skipped = append(skipped, n.Name)
		} else {
			plan = append(plan, provision.Step{Kind: provision.StepReplace, Node: n.Name, Of: byID[n.Master]})
		}
	}
	for _, m := range masters {
		cur, err := current(m.Name)
		if err != nil {
			return nil, nil, err
		}
		if cur {
			skipped = append(skipped, m.Name)
			continue
		}
		i := slices.IndexFunc(rep.Nodes, func(n NodeReport) bool { return n.Role == "replica" && n.Master == m.ID })
		switch {
		case i >= 0:
			plan = append(plan, provision.Step{Kind: provision.StepFailover, Node: m.Name, To: rep.Nodes[i].Name},
				provision.Step{Kind: provision.StepReplace, Node: m.Name, Of: rep.Nodes[i].Name})
		case m.Slots == "" || allowDowntime:
			plan = append(plan, provision.Step{Kind: provision.StepDowntime, Node: m.Name, Empty: m.Slots == ""})
		default:
			alone = append(alone, m.Name)
		}
	}
	if len(alone) > 0 {
		return nil, nil, fmt.Errorf("--allow-downtime: master %s has no replica to fail over to, so its slots would be down while its service is updated; "+
			"add replicas or pass --allow-downtime", strings.Join(alone, ", "))
	}
	return plan, skipped, nil
}

// step runs one step to its end and checks the cluster healthy after it.
func (u *stackUpgrade) step(ctx context.Context, s provision.Step) error {
	if s.Kind == provision.StepFailover {
		return u.failover(ctx, s)
	}
	return u.update(ctx, s.Node)
}

// update has node's service run the new image, waits for its new task,
// then for the cluster to be healthy with the node back under its own ID.
func (u *stackUpgrade) update(ctx context.Context, node string) error {
	svc := serviceName(u.plan.Spec.Name, node)
	st := u.o.log().Start("Updating %s to %s", svc, u.uo.Image)
	defer st.End(false)
	if err := u.o.Docker.UpdateImage(ctx, svc, u.uo.Image, nil); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, u.uo.Wait+time.Minute)
	defer cancel()
	if _, err := u.o.Docker.WaitRunning(wctx, svc, u.uo.Image); err != nil {
		return err
	}
	rep, err := runCheck(ctx, u.o.Docker, u.plan, u.refs, u.uo.Wait)
	if err != nil {
		return err
	}
	for _, n := range rep.Nodes {
		if n.Name == node && u.ids[node] != "" && n.ID != u.ids[node] {
			return fmt.Errorf("%s came back with node ID %s, not %s: its volume %s was not the one it had", node, n.ID, u.ids[node], volumeName(u.plan.Spec.Name, stackplan.Node{Service: node}))
		}
	}
	u.res.Replaced = append(u.res.Replaced, node)
	st.End(true)
	return nil
}

// failover promotes s.To in place of master s.Node from a check job on
// the overlay, which waits until the cluster is healthy again (every node
// hands out the new master).
func (u *stackUpgrade) failover(ctx context.Context, s provision.Step) error {
	st := u.o.log().Start("Failing over %s to %s", s.Node, s.To)
	defer st.End(false)
	rep, err := runCheck(ctx, u.o.Docker, u.plan, u.refs, u.uo.Wait, "--failover", s.To)
	if err != nil {
		return err
	}
	for _, n := range rep.Nodes {
		if n.Name == s.To && n.Role != "master" {
			return fmt.Errorf("%s is %s after CLUSTER FAILOVER, not master", s.To, n.Role)
		}
	}
	u.res.Failovers = append(u.res.Failovers, s.Node+" -> "+s.To)
	st.End(true)
	return nil
}

// record writes the new image into the spec label the stack is found by
// (on its bootstrap service, whose task it does not touch), so `swarm
// up` with the new image finds the same cluster.
func (u *stackUpgrade) record(ctx context.Context) error {
	svc := serviceName(u.plan.Spec.Name, stackplan.BootstrapService)
	services, err := u.o.Docker.Services(ctx, u.plan.Spec.Name)
	if err != nil {
		return err
	}
	for _, s := range services {
		if s.Name != svc {
			continue
		}
		sp, err := stackplan.ParseSpecLabel(s.Labels[docker.LabelSpec])
		if err != nil {
			return err
		}
		sp.Image = u.uo.Image
		return u.o.Docker.UpdateImage(ctx, svc, "", map[string]string{docker.LabelSpec: stackplan.SpecLabel(sp)})
	}
	return fmt.Errorf("cluster %q has no %s service to record the new image in", u.plan.Spec.Name, svc)
}
