package swarm

import (
	"fmt"
	"slices"
	"testing"

	"github.com/redis-dock/redis-dock/internal/topology"
)

// TestPlacementIsTopologys: the stack pins each node's service to the
// Swarm node topology's Plan.Hosts chooses, and each replica follows the
// master topology.New chose. Replica placement is decided in
// internal/topology alone (TestHosts there is its table), so changing
// that one function changes what every stack renders.
func TestPlacementIsTopologys(t *testing.T) {
	for _, tc := range []struct{ masters, replicas, hosts int }{{3, 1, 3}, {3, 2, 4}, {4, 1, 5}, {3, 2, 2}} {
		t.Run(fmt.Sprintf("%dx%d on %d", tc.masters, tc.replicas, tc.hosts), func(t *testing.T) {
			p := testPlan(t, tc.masters, tc.replicas)
			want := topology.New(topology.Params{Cluster: p.Spec.Name, Masters: tc.masters, Replicas: tc.replicas, Port: p.Spec.Port})
			var hosts []string
			for i := range tc.hosts {
				hosts = append(hosts, fmt.Sprintf("sw%d", i))
			}
			at := want.Hosts(tc.hosts)
			pr := Project(p, Files{Dir: "/srv/demo", Password: "/srv/demo/password"}, Placement{Key: "node.id", Hosts: hosts})
			for i, n := range p.Nodes {
				if n.Master != want.Nodes[i].Master {
					t.Errorf("node %d follows %d, topology.New says %d", n.Index, n.Master, want.Nodes[i].Master)
				}
				got := pr.Services[n.Service].Deploy.Placement.Constraints
				if w := []string{"node.id == " + hosts[at[i]]}; !slices.Equal(got, w) {
					t.Errorf("%s: constraints %v, want %v (topology's Plan.Hosts)", n.Service, got, w)
				}
			}
		})
	}
}
