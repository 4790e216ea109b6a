//go:build !nodeimage

package redisdock

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// The fault kit: break a cluster on purpose, then wait for what a test
// needs. Nodes are given by port ("7001") or container name.
//
//	killed, _ := c.KillMaster(ctx, redisdock.Slot("cart:1"))
//	_, _ = c.WaitFailover(ctx, redisdock.Slot("cart:1"))
//	v, err := c.Client().Get(ctx, "cart:1").Result() // served by the new master
//
// Every action refreshes Client()'s slot map; the waits make sure the
// client routes to the new master before they return.
type (
	Fault     = cluster.Fault
	FaultNode = cluster.FaultNode
)

// Slot is the hash slot of key, as Redis Cluster computes it (CRC16 of
// the key or of its {hash tag}, modulo 16384).
func Slot(key string) int { return topology.KeySlot(key) }

// KillMaster kills (SIGKILL, like a crash) the container of the master
// serving slot and returns its name. Its replica takes over after the
// node timeout; StartNode brings the old master back as a replica.
func (c *Cluster) KillMaster(ctx context.Context, slot int) (string, error) {
	m, err := cluster.MasterOf(ctx, c.spec.Name, slot, c.opts())
	if err != nil {
		return "", err
	}
	_, err = c.inject(ctx, "kill", m.Name)
	return m.Name, err
}

// KillNode kills a node's container (SIGKILL, like a crash).
func (c *Cluster) KillNode(ctx context.Context, node string) (Fault, error) {
	return c.inject(ctx, "kill", node)
}

// StopNode stops a node's container gracefully (SIGTERM, then SIGKILL
// after 10 s): redis-server saves and leaves.
func (c *Cluster) StopNode(ctx context.Context, node string) (Fault, error) {
	return c.inject(ctx, "stop", node)
}

// StartNode starts a stopped or killed node's container again; it comes
// back with its node ID and data (a replaced master as a replica).
func (c *Cluster) StartNode(ctx context.Context, node string) (Fault, error) {
	return c.inject(ctx, "start", node)
}

// PauseNode freezes a node (docker pause): a hung process that keeps its
// sockets open. Longer than the node timeout, its replica takes over.
func (c *Cluster) PauseNode(ctx context.Context, node string) (Fault, error) {
	return c.inject(ctx, "pause", node)
}

// UnpauseNode thaws a paused node.
func (c *Cluster) UnpauseNode(ctx context.Context, node string) (Fault, error) {
	return c.inject(ctx, "unpause", node)
}

// Partition cuts nodes off the cluster's network: they keep running but
// reach no other node, and neither the host nor any node reaches them.
func (c *Cluster) Partition(ctx context.Context, nodes ...string) (Fault, error) {
	if len(nodes) == 0 {
		return Fault{}, fmt.Errorf("partition: name at least one node (port or container)")
	}
	return c.inject(ctx, "partition", nodes...)
}

// Reconnect attaches partitioned nodes to the cluster's network again,
// with their own static addresses.
func (c *Cluster) Reconnect(ctx context.Context, nodes ...string) (Fault, error) {
	if len(nodes) == 0 {
		return Fault{}, fmt.Errorf("reconnect: name at least one node (port or container)")
	}
	return c.inject(ctx, "reconnect", nodes...)
}

// RestartAll restarts every node container at once and returns without
// waiting; WaitHealthy waits for the cluster.
func (c *Cluster) RestartAll(ctx context.Context) (Fault, error) {
	return c.inject(ctx, "restart")
}

// repairs are the verbs that undo a fault: WaitFailover still compares
// with the masters before the fault they undo.
var repairs = map[string]bool{"start": true, "unpause": true, "reconnect": true}

// inject remembers who served which slot (before a fault, not a repair),
// applies the verb and has the client reload its slot map.
func (c *Cluster) inject(ctx context.Context, verb string, nodes ...string) (Fault, error) {
	if !repairs[verb] {
		c.snapshot(ctx)
	}
	f, err := cluster.Inject(ctx, c.spec.Name, verb, nodes, c.opts())
	c.reload(ctx)
	return f, err
}

// snapshot records which master serves which slot now.
func (c *Cluster) snapshot(ctx context.Context) {
	if owners, err := cluster.SlotMasters(ctx, c.spec.Name, c.opts()); err == nil {
		c.before = owners
	}
}

func (c *Cluster) reload(ctx context.Context) {
	if c.client != nil {
		c.client.ReloadState(ctx)
	}
}

// waitTimeout is how long the waits wait when ctx has no deadline.
func (c *Cluster) waitTimeout(ctx context.Context) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		return time.Until(d)
	}
	return c.spec.Wait
}

// WaitFailover waits until slot is served by a reachable master other
// than the one that served it before the kit's last fault (StartNode,
// UnpauseNode and Reconnect are repairs, not faults; any reachable master
// when the kit injected none), that master takes writes, and Client()
// routes the slot to it. It returns that master. It waits until ctx's
// deadline, or the spec's Wait (60 s by default) without one.
func (c *Cluster) WaitFailover(ctx context.Context, slot int) (FaultNode, error) {
	timeout := c.waitTimeout(ctx)
	m, err := cluster.WaitFailover(ctx, c.spec.Name, slot, c.before.Of(slot), timeout, c.opts())
	if err != nil {
		return m, err
	}
	return m, c.waitClientRoutes(ctx, slot, m, timeout)
}

// waitClientRoutes reloads Client()'s slot map until it sends slot to m.
func (c *Cluster) waitClientRoutes(ctx context.Context, slot int, m FaultNode, timeout time.Duration) error {
	key := topology.KeyInSlot(cluster.ProbePrefix, slot)
	deadline := time.Now().Add(timeout)
	for {
		c.Client().ReloadState(ctx)
		got := "none"
		if mc, err := c.Client().MasterForKey(ctx, key); err == nil {
			got = mc.Options().Addr
			if _, port, _ := net.SplitHostPort(got); port == strconv.Itoa(m.Port) {
				return nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("slot %d failed over to %s, but the client still routes it to %s", slot, m.Container, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// WaitServing waits until every slot is served by a reachable master that
// takes writes, even with nodes still down, and Client()'s slot map
// names only masters that answer. It waits until ctx's deadline, or the spec's Wait without one.
func (c *Cluster) WaitServing(ctx context.Context) error {
	timeout := c.waitTimeout(ctx)
	if err := cluster.WaitServing(ctx, c.spec.Name, timeout, c.opts()); err != nil {
		return err
	}
	return c.waitClientMasters(ctx, timeout)
}

// waitClientMasters reloads Client()'s slot map until every master in it
// answers: the client no longer routes to a dead one.
func (c *Cluster) waitClientMasters(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c.Client().ReloadState(ctx)
		time.Sleep(50 * time.Millisecond) // the reload runs in the background
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		err := c.Client().ForEachMaster(pctx, func(ctx context.Context, m *redisClient) error { return m.Ping(ctx).Err() })
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("every slot is served, but the client still routes to a master that does not answer: %w", err)
		}
	}
}

// FaultVerbs are the verbs InjectFault takes.
const FaultVerbs = cluster.FaultVerbs

// InjectFault applies a fault-kit verb (kill, stop, start, pause,
// unpause, partition, reconnect, restart) to nodes of the named cluster,
// each a port or a container name; restart with no nodes restarts all.
// The CLI's `fault` command calls it.
func InjectFault(ctx context.Context, name, verb string, nodes []string, opts ...Option) (Fault, error) {
	return withDocker(opts, func(o cluster.Options) (Fault, error) { return cluster.Inject(ctx, name, verb, nodes, o) })
}

// WaitFailover waits until slot of the named cluster is served by a
// reachable master that takes writes, and returns it.
func WaitFailover(ctx context.Context, name string, slot int, timeout time.Duration, opts ...Option) (FaultNode, error) {
	return withDocker(opts, func(o cluster.Options) (FaultNode, error) {
		return cluster.WaitFailover(ctx, name, slot, "", timeout, o)
	})
}

// WaitServing waits until every slot of the named cluster is served by a
// reachable master that takes writes.
func WaitServing(ctx context.Context, name string, timeout time.Duration, opts ...Option) error {
	_, err := withDocker(opts, func(o cluster.Options) (struct{}, error) {
		return struct{}{}, cluster.WaitServing(ctx, name, timeout, o)
	})
	return err
}

// WaitHealthy waits until the named cluster is healthy, as `status` says.
func WaitHealthy(ctx context.Context, name string, timeout time.Duration, opts ...Option) error {
	_, err := withDocker(opts, func(o cluster.Options) (struct{}, error) {
		return struct{}{}, cluster.WaitHealthy(ctx, name, timeout, o)
	})
	return err
}
