package docker

import "github.com/redis-dock/redis-dock/internal/topology"

// IsNode reports whether the container is a Redis node (its role label
// is a node role), as opposed to a helper that carries the cluster label
// too: compose's one-shot bootstrap, a swarm check.
func (c Container) IsNode() bool {
	switch c.Role {
	case topology.RoleMaster, topology.RoleReplica, topology.RoleSentinel:
		return true
	}
	return false
}

// Nodes keeps the node containers of cts, in order.
func Nodes(cts []Container) []Container {
	out := make([]Container, 0, len(cts))
	for _, c := range cts {
		if c.IsNode() {
			out = append(out, c)
		}
	}
	return out
}
