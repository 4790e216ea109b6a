package swarm

import (
	"errors"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
)

func TestJudge(t *testing.T) {
	m := func(name, id, slots string) nodeagent.NodeReport {
		return nodeagent.NodeReport{Name: name, Addr: "10.0.0.1:" + name, ID: id, Role: "master", Slots: slots}
	}
	r := func(name, id, master string) nodeagent.NodeReport {
		return nodeagent.NodeReport{Name: name, Addr: "10.0.0.1:" + name, ID: id, Role: "replica", Master: master}
	}
	full := []nodeagent.NodeReport{m("n1", "a", "0-5460"), m("n2", "b", "5461-10922"), m("n3", "c", "10923-16383"),
		r("n4", "d", "a"), r("n5", "e", "b"), r("n6", "f", "c")}
	unhealthy := errors.New(`cluster "x" is not healthy: check failed`)
	tests := []struct {
		name     string
		rep      nodeagent.Report
		err      error
		verdict  string
		contains []string
	}{
		{"healthy", nodeagent.Report{Healthy: true, Nodes: full}, nil, VerdictHealthy, nil},
		{"a host away: its replica took over, its nodes do not resolve",
			nodeagent.Report{Problems: []string{"node-7000, node-7004 resolve to no running task"},
				Nodes: []nodeagent.NodeReport{m("n2", "b", "5461-10922"), m("n3", "c", "10923-16383"), m("n4", "d", "0-5460"),
					r("n6", "f", "c"), {Name: "node-7000"}, {Name: "node-7004"}}},
			unhealthy, VerdictServing, []string{"node-7000, node-7004 resolve to no running task"}},
		{"a replica does not answer",
			nodeagent.Report{Nodes: append(full[:5:5], nodeagent.NodeReport{Name: "n6", Addr: "10.0.0.6:7005"})},
			unhealthy, VerdictServing, []string{"no answer from n6"}},
		{"a master gone, no failover yet",
			nodeagent.Report{Nodes: []nodeagent.NodeReport{m("n2", "b", "5461-10922"), m("n3", "c", "10923-16383"),
				r("n4", "d", "a"), {Name: "n1", Addr: "10.0.0.1:7000"}}},
			unhealthy, VerdictNotServing, []string{"slots 0-5460 are served by no reachable master", "no answer from n1"}},
		{"single slots missing", nodeagent.Report{Nodes: []nodeagent.NodeReport{m("n1", "a", "0-99 101-16382")}},
			unhealthy, VerdictNotServing, []string{"slots 100 16383"}},
		{"no report at all", nodeagent.Report{}, unhealthy, VerdictNotServing, []string{"slots 0-16383", "check failed"}},
		{"report healthy but the job failed (keys)", nodeagent.Report{Healthy: true, Nodes: full}, errors.New("key k:3 missing"),
			VerdictServing, []string{"key k:3 missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, why := judge(tt.rep, tt.err)
			if v != tt.verdict {
				t.Errorf("verdict %q (%s), want %q", v, why, tt.verdict)
			}
			for _, c := range tt.contains {
				if !strings.Contains(why, c) {
					t.Errorf("missing %q, want it to contain %q", why, c)
				}
			}
		})
	}
}

func TestHereConstraint(t *testing.T) {
	nodes := []docker.SwarmNode{{ID: "m1", Ready: true}, {ID: "m2", Ready: false}, {ID: "w1", Ready: true}}
	for _, tt := range []struct{ self, want string }{
		{"m1", "node.id == m1"}, {"m2", ""}, {"", ""}, {"gone", ""},
	} {
		if got := hereConstraint(tt.self, nodes); got != tt.want {
			t.Errorf("hereConstraint(%q) = %q, want %q", tt.self, got, tt.want)
		}
	}
}
