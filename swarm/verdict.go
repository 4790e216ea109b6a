package swarm

import (
	"strings"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
	"github.com/redis-dock/redis-dock/internal/redisx"
)

// Verdicts of swarm status, best first.
const (
	// VerdictHealthy: every node answers, every slot is served, every
	// master has its replicas (the check job's verdict).
	VerdictHealthy = "healthy"
	// VerdictServing: every slot is served by a master the check reached,
	// but something is missing (a host away, a replica not back yet).
	VerdictServing = "serving"
	// VerdictNotServing: some slots have no reachable master; clients fail
	// for their keys.
	VerdictNotServing = "not serving"
)

// judge gives the verdict on a check's report (and its error), and, when
// it is not healthy, what is missing or wrong. Serving is judged as
// cluster.SlotMasters does: masters that answer and see themselves
// serving slots.
func judge(rep nodeagent.Report, checkErr error) (verdict, missing string) {
	if checkErr == nil && rep.Healthy {
		return VerdictHealthy, ""
	}
	var owners cluster.Owners
	var silent []string
	for _, n := range rep.Nodes {
		if n.ID == "" {
			if n.Addr != "" { // no address: its name did not resolve, which the problems say
				silent = append(silent, n.Name)
			}
			continue
		}
		if n.Role != "master" || n.Slots == "" {
			continue
		}
		if slots, err := redisx.ParseSlotString(n.Slots); err == nil {
			owners = append(owners, cluster.SlotOwner{ID: n.ID, Slots: slots})
		}
	}
	why := problems(rep, silent, checkErr)
	if gaps := owners.Uncovered(); gaps != "" {
		return VerdictNotServing, join(gaps, why)
	}
	return VerdictServing, why
}

// problems says what keeps a cluster from health: nodes that did not
// answer, the check's problems, else its error.
func problems(rep nodeagent.Report, silent []string, checkErr error) string {
	var out []string
	if len(silent) > 0 {
		out = append(out, "no answer from "+strings.Join(silent, ", "))
	}
	out = append(out, rep.Problems...)
	if len(out) == 0 && checkErr != nil {
		out = append(out, checkErr.Error())
	}
	return strings.Join(out, "; ")
}

func join(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}
