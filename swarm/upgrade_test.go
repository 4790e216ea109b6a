package swarm

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// report3x1 is what the check job reports for a 3x1 stack: masters
// node-7000..7002, each with one replica (7003 of 7000, and so on).
func report3x1() Report {
	var r Report
	slots := []string{"0-5460", "5461-10922", "10923-16383"}
	for i := range 3 {
		r.Nodes = append(r.Nodes, NodeReport{Name: nodeName(7000 + i), ID: "m" + nodeName(7000+i), Role: "master", Slots: slots[i]})
	}
	for i := range 3 {
		r.Nodes = append(r.Nodes, NodeReport{Name: nodeName(7003 + i), ID: "r" + nodeName(7003+i), Role: "replica", Master: "m" + nodeName(7000+i)})
	}
	return r
}

func nodeName(port int) string { return fmt.Sprintf("node-%d", port) }

func currentOf(nodes ...string) func(string) (bool, error) {
	return func(n string) (bool, error) { return slices.Contains(nodes, n), nil }
}

// TestUpgradePlan is what `swarm upgrade --dry-run` prints for a 3x1
// stack: the three replicas' services first, then for each master a
// failover to its replica and its own service; nodes already on the new
// image are left out (a second run resumes), and a master without
// replica is refused by name unless downtime is allowed.
func TestUpgradePlan(t *testing.T) {
	plan, skipped, err := upgradePlan(report3x1(), false, currentOf())
	if err != nil || len(skipped) != 0 {
		t.Fatalf("plan: skipped %v, %v", skipped, err)
	}
	checkGolden(t, filepath.Join("testdata", "upgrade-plan-3x1.golden"), []byte(plan.String()))

	// resumed after the replicas and the first master's failover: 7003 is
	// master now, 7000 its replica still on the old image
	r := report3x1()
	r.Nodes[0].Role, r.Nodes[0].Master, r.Nodes[0].Slots = "replica", "rnode-7003", ""
	r.Nodes[3].Role, r.Nodes[3].Master, r.Nodes[3].Slots = "master", "", "0-5460"
	plan, skipped, err = upgradePlan(r, false, currentOf("node-7003", "node-7004", "node-7005"))
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "upgrade-plan-3x1-resumed.golden"), []byte(plan.String()))
	if !slices.Equal(skipped, []string{"node-7004", "node-7005", "node-7003"}) {
		t.Errorf("skipped %v, want the three upgraded nodes", skipped)
	}

	all := []string{"node-7000", "node-7001", "node-7002", "node-7003", "node-7004", "node-7005"}
	if plan, skipped, err = upgradePlan(report3x1(), false, currentOf(all...)); err != nil || len(plan) != 0 || len(skipped) != 6 {
		t.Errorf("all current: plan %q, skipped %v, %v; want nothing to do", plan, skipped, err)
	}

	alone := report3x1()
	alone.Nodes = alone.Nodes[:4] // node-7001 and node-7002 lost their replicas
	if _, _, err := upgradePlan(alone, false, currentOf()); err == nil ||
		!strings.Contains(err.Error(), "node-7001, node-7002") || !strings.Contains(err.Error(), "--allow-downtime") {
		t.Errorf("masters without replica: %v, want them named and --allow-downtime", err)
	}
	plan, _, err = upgradePlan(alone, true, currentOf())
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "upgrade-plan-downtime.golden"), []byte(plan.String()))
}
