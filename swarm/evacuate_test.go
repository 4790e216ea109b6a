package swarm

import (
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// TestEvacuationTarget: a moved node goes to a ready host where no node of
// its master/replica group runs, the least loaded first; with too few
// hosts it shares one, with a warning.
func TestEvacuationTarget(t *testing.T) {
	s := spec.Default()
	s.Name, s.Password = "ev", "pw"
	p, err := stackplan.FromSpec(s, false)
	if err != nil {
		t.Fatal(err)
	}
	// node-7000..7002 masters on a, b, c; 7003 (of 7000) on b, 7004 (of 7001) on c, 7005 (of 7002) on a.
	where := map[string]string{"node-7000": "a", "node-7001": "b", "node-7002": "c", "node-7003": "b", "node-7004": "c", "node-7005": "a"}
	node := func(svc string) stackplan.Node {
		for _, n := range p.Nodes {
			if n.Service == svc {
				return n
			}
		}
		t.Fatalf("no %s", svc)
		return stackplan.Node{}
	}
	ready := []docker.SwarmMember{{ID: "b", Hostname: "hb"}, {ID: "c", Hostname: "hc"}}
	e := &evacuation{plan: p, res: &Evacuated{}, where: where, ready: ready}
	// Host a is lost: 7000's group runs on b (7003), 7005's group on c (7002).
	if got := e.target(node("node-7000")); got.ID != "c" {
		t.Errorf("node-7000 goes to %s, want c (its replica runs on b)", got.ID)
	}
	if got := e.target(node("node-7005")); got.ID != "b" {
		t.Errorf("node-7005 goes to %s, want b (its master runs on c)", got.ID)
	}
	if len(e.res.Warnings) != 0 {
		t.Errorf("warnings %v", e.res.Warnings)
	}
	e.ready = ready[:1] // only b left: 7000 must share it with 7003
	if got := e.target(node("node-7000")); got.ID != "b" || len(e.res.Warnings) != 1 || !strings.Contains(e.res.Warnings[0], "node-7000") {
		t.Errorf("with one host: %s, warnings %v", got.ID, e.res.Warnings)
	}
}
