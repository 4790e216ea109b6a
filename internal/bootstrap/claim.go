package bootstrap

import (
	"context"
	"fmt"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// Claim gives fresh master i its config epoch and slots as soon as it
// answers, while the other nodes are still starting. Timing matters: a
// master's first cluster-state check comes CLUSTER_WRITABLE_DELAY (2 s)
// after its start, and a master that serves no slot then counts itself in
// a minority (zero reachable masters of a quorum of one), which holds it
// in cluster_state:fail for a rejoin delay of node-timeout (at most 5 s)
// after it does get slots. A master that owns its slots before that first
// check reports ok as soon as it knows every slot. Replicas, nodes that
// are not fresh and nodes holding keys are left to Run.
func (c *Cluster) Claim(ctx context.Context, i int) error {
	m := c.Members[i]
	if m.Role != topology.RoleMaster {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.Wait)
	defer cancel()
	n := redisx.Dial(m.Admin, c.Password)
	defer n.Close()
	if err := n.WaitPing(ctx, PollInterval); err != nil {
		return err
	}
	nodes, err := n.Nodes(ctx)
	if err != nil {
		return err
	}
	me, _ := redisx.Myself(nodes)
	if len(nodes) != 1 || me.SlotCount() > 0 || me.ConfigEpoch != 0 {
		return nil
	}
	keys, err := n.DBSize(ctx)
	if err != nil {
		return fmt.Errorf("DBSIZE on %s: %w", n.Addr, err)
	}
	if keys > 0 {
		return nil // Run refuses it with the reason
	}
	return c.prepareNode(ctx, i, n)
}
