package swarm

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// lostNodes names the cluster's services that have no running task and
// were last placed on a Swarm node that is not ready (a host that went away), so that status can say
// why nodes are missing; "" when there are none or the swarm cannot say.
func lostNodes(ctx context.Context, d *docker.Client, services []docker.ServiceState) string {
	members, err := d.SwarmMembers(ctx)
	if err != nil {
		return ""
	}
	down := map[string]string{} // node ID -> hostname
	for _, m := range members {
		if m.State != "ready" {
			down[m.ID] = m.Hostname
		}
	}
	if len(down) == 0 {
		return ""
	}
	var lost []string
	for _, s := range services {
		node, running, err := d.ServicePlacement(ctx, s.ID)
		if err != nil {
			return ""
		}
		if h, ok := down[node]; ok && !running {
			lost = append(lost, fmt.Sprintf("%s (on %s)", s.Name, h))
		}
	}
	if len(lost) == 0 {
		return ""
	}
	sort.Strings(lost)
	return fmt.Sprintf("no task running, pinned to Swarm nodes that are down: %s; they run again when their host returns", strings.Join(lost, ", "))
}
