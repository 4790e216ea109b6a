package compose

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
)

// checkStatus: status and list of a compose-made cluster count the node
// containers only (not the exited bootstrap), call it healthy, and show
// masters without a master and replicas with one of the nodes.
func checkStatus(t *testing.T, d *docker.Client, name string, nodes, port int) {
	t.Helper()
	ctx := context.Background()
	o := cluster.Options{Docker: d}
	st, err := cluster.GetStatus(ctx, name, o)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Healthy || len(st.Nodes) != nodes {
		t.Errorf("status: healthy=%v with %d nodes (want %d): %q", st.Healthy, len(st.Nodes), nodes, st.Problems)
	}
	var names []string
	for _, n := range st.Nodes {
		names = append(names, n.Name)
	}
	for _, n := range st.Nodes {
		if (n.Role == "master") != (n.Master == "") || (n.Master != "" && !slices.Contains(names, n.Master)) {
			t.Errorf("status: %s is a %s with master %q", n.Name, n.Role, n.Master)
		}
	}
	all, err := cluster.List(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(s cluster.Summary) bool { return s.Name == name })
	want := cluster.Summary{Name: name, Mode: "cluster", Network: "bridge", Nodes: nodes, Running: nodes, Ports: fmt.Sprintf("%d-%d", port, port+nodes-1)}
	if i < 0 || all[i] != want {
		t.Errorf("list: %+v, want %+v", all, want)
	}
}
