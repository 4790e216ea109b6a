package cluster

import (
	"fmt"
	"strings"

	"github.com/redis-dock/redis-dock/internal/provision"
)

// What an upgrade does to one node: provision's actions.
type upgradeAction = provision.NodeAction

const (
	keepNode    = provision.KeepNode
	setConfig   = provision.SetNode
	replaceNode = provision.ReplaceNode
)

// shardState is one master and its replicas, each with its action: the
// input of planUpgrade, read from the running cluster.
type shardState struct {
	Master   nodeState
	Replicas []nodeState
	Empty    bool // the master serves no slot (a scale left it so)
}

// nodeState is one node of a shard and what it needs.
type nodeState struct {
	Name   string
	Action upgradeAction
}

// A Redis Cluster's upgrade steps are provision's (a Swarm stack's too).
type upgradeStep = provision.Step

const (
	stepSet      = provision.StepSet
	stepReplace  = provision.StepReplace
	stepFailover = provision.StepFailover
	stepDowntime = provision.StepDowntime
)

// upgradePlan is the ordered steps of an upgrade.
type upgradePlan = provision.Plan[upgradeStep]

// planUpgrade orders the work so that no shard ever has two nodes down
// and every slot keeps a master: runtime config first (nothing stops);
// then the replicas, one shard after another; then each master, failed
// over to its first replica (upgraded by then) and replaced as a
// replica. A master to replace without a replica is refused, naming its
// shard, unless downtime is allowed.
func planUpgrade(shards []shardState, allowDowntime bool) (upgradePlan, error) {
	var p upgradePlan
	for _, sh := range shards {
		for _, n := range append([]nodeState{sh.Master}, sh.Replicas...) {
			if n.Action == setConfig {
				p = append(p, upgradeStep{Kind: stepSet, Node: n.Name})
			}
		}
	}
	for _, sh := range shards {
		for _, r := range sh.Replicas {
			if r.Action == replaceNode {
				p = append(p, upgradeStep{Kind: stepReplace, Node: r.Name, Of: sh.Master.Name})
			}
		}
	}
	var alone []string
	for _, sh := range shards {
		if sh.Master.Action != replaceNode {
			continue
		}
		if len(sh.Replicas) == 0 {
			if !sh.Empty {
				alone = append(alone, sh.Master.Name)
			}
			p = append(p, upgradeStep{Kind: stepDowntime, Node: sh.Master.Name, Empty: sh.Empty})
			continue
		}
		to := sh.Replicas[0].Name
		p = append(p, upgradeStep{Kind: stepFailover, Node: sh.Master.Name, To: to},
			upgradeStep{Kind: stepReplace, Node: sh.Master.Name, Of: to})
	}
	if len(alone) > 0 && !allowDowntime {
		return nil, fmt.Errorf("--allow-downtime: the shards of master %s have no replica, so their slots would be down while each is replaced; "+
			"add replicas first (`redis-dock scale --replicas 1`) or pass --allow-downtime", strings.Join(alone, ", "))
	}
	return p, nil
}
