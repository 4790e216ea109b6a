package cluster

import (
	"reflect"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// TestFillMasters: a replica's master is found by node ID, from its own
// line or from its peers' view when it is dead; a node without an ID (not
// answering) is nobody's master.
func TestFillMasters(t *testing.T) {
	peers := map[string]int{"m1": 7000, "m2": 7001, "r1": 7002, "r2": 7003}
	st := &Status{Nodes: []NodeStatus{
		{Name: "c-7000", Port: 7000, Container: "exited"}, // dead master: no ID
		{Name: "c-7001", Port: 7001, ID: "m2", Role: "master", peers: peers},
		{Name: "c-7002", Port: 7002, ID: "r1", Role: "master", peers: peers}, // promoted
		{Name: "c-7003", Port: 7003, ID: "r2", Role: "replica", Master: "m2", peers: peers},
		{Name: "c-7004", Port: 7004, ID: "r3", Role: "replica", Master: "m1", peers: peers},
		{Name: "c-7005", Port: 7005, ID: "r4", Role: "replica", Master: "unknown-id"},
	}}
	fillMasters(st)
	var got []string
	for _, n := range st.Nodes {
		got = append(got, n.Master)
	}
	want := []string{"", "", "", "c-7001", "c-7000", "unknown-id"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("masters = %q, want %q", got, want)
	}
}

func TestDownProblems(t *testing.T) {
	got := downProblems([]docker.Container{
		{Name: "c-7000", State: "running"}, {Name: "c-7001", State: "exited"}, {Name: "c-7002", State: "paused"},
	})
	want := []string{"c-7001 is down (container exited)", "c-7002 is down (container paused)"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestSummarizeCountsNodesOnly: compose's exited bootstrap carries the
// cluster label and the spec, but is no node.
func TestSummarizeCountsNodesOnly(t *testing.T) {
	lbl := func(role, port, index string, spec bool) map[string]string {
		l := map[string]string{docker.LabelCluster: "c", docker.LabelRole: role, docker.LabelPort: port, docker.LabelIndex: index}
		if spec {
			l[docker.LabelSpec] = `{"mode":"cluster","network":"bridge"}`
		}
		return l
	}
	cts := []docker.Container{
		{Name: "c-bootstrap-1", State: "exited", Role: "bootstrap", Labels: lbl("bootstrap", "", "", true)},
		{Name: "c-7000", State: "running", Role: "master", Port: 7000, Labels: lbl("master", "7000", "0", false)},
		{Name: "c-7001", State: "running", Role: "master", Port: 7001, Labels: lbl("master", "7001", "1", false)},
		{Name: "c-7002", State: "exited", Role: "replica", Port: 7002, Labels: lbl("replica", "7002", "2", false)},
	}
	got := summarize(cts)
	want := []Summary{{Name: "c", Mode: "cluster", Network: "bridge", Nodes: 3, Running: 2, Ports: "7000-7002"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}
