package sentinel

import (
	"fmt"

	"github.com/redis-dock/redis-dock/internal/provision"
)

// groupNode is one container of a running group, as the upgrade plan
// sees it.
type groupNode struct {
	Name    string
	Current bool // on the new image and config already
	Set     bool // takes the new settings at runtime, in its container
}

// groupState is a running group: its master, replicas and sentinels,
// the input of planUpgrade.
type groupState struct {
	Master    groupNode
	Replicas  []groupNode
	Sentinels []groupNode
}

// stepKind is one kind of upgrade step.
type stepKind string

const (
	stepReplica  stepKind = "replica"  // replace replica Node
	stepSentinel stepKind = "sentinel" // replace sentinel Node
	stepFailover stepKind = "failover" // SENTINEL FAILOVER away from master Node
	stepOldM     stepKind = "old"      // replace Node, the master before the failover
	stepDowntime stepKind = "downtime" // replace master Node, which has no replica
	stepSet      stepKind = "set"      // CONFIG SET the new settings on Node, no restart
)

type upgradeStep struct {
	Kind stepKind
	Node string
	Of   string // the master Node follows (replica) or watches (sentinel)
}

func (s upgradeStep) String() string {
	switch s.Kind {
	case stepSet:
		return provision.SetStep(s.Node)
	case stepSentinel:
		return fmt.Sprintf("replace sentinel %s (it must see master %s and its replicas again)", s.Node, s.Of)
	case stepFailover:
		return fmt.Sprintf("fail over %s to an up-to-date replica (SENTINEL FAILOVER)", s.Node)
	case stepOldM:
		return fmt.Sprintf("replace %s (the old master, a replica by then)", s.Node)
	case stepDowntime:
		return fmt.Sprintf("replace master %s, which has no replica: writes fail meanwhile (--allow-downtime)", s.Node)
	}
	return fmt.Sprintf("replace %s (replica of %s)", s.Node, s.Of)
}

type upgradePlan = provision.Plan[upgradeStep]

// planUpgrade orders the work so that never two data nodes are down at
// once and the master keeps serving until the last step: the replicas,
// one at a time; then the sentinels, one at a time (each rejoins before
// the next, so the quorum holds); then a failover to an upgraded replica
// and the old master last. A node that takes its new settings at runtime
// is set where it would be replaced, and a master set so needs no
// failover. A master without a replica is refused unless downtime is
// allowed.
func planUpgrade(g groupState, allowDowntime bool) (upgradePlan, error) {
	var p upgradePlan
	for _, r := range g.Replicas {
		if r.Set {
			p = append(p, upgradeStep{Kind: stepSet, Node: r.Name})
		} else if !r.Current {
			p = append(p, upgradeStep{Kind: stepReplica, Node: r.Name, Of: g.Master.Name})
		}
	}
	for _, s := range g.Sentinels {
		if !s.Current {
			p = append(p, upgradeStep{Kind: stepSentinel, Node: s.Name, Of: g.Master.Name})
		}
	}
	if g.Master.Set {
		return append(p, upgradeStep{Kind: stepSet, Node: g.Master.Name}), nil
	}
	if g.Master.Current {
		return p, nil
	}
	if len(g.Replicas) == 0 {
		if !allowDowntime {
			return nil, fmt.Errorf("--allow-downtime: master %s has no replica to fail over to, so writes would fail while it is replaced; "+
				"add a replica (`up --mode sentinel --replicas 1` or more) or pass --allow-downtime", g.Master.Name)
		}
		return append(p, upgradeStep{Kind: stepDowntime, Node: g.Master.Name}), nil
	}
	return append(p, upgradeStep{Kind: stepFailover, Node: g.Master.Name},
		upgradeStep{Kind: stepOldM, Node: g.Master.Name}), nil
}
