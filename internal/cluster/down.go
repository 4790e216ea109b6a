package cluster

import (
	"context"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
)

// Down removes everything that carries the cluster's label; volumes only
// when asked. Running it twice, or on a half-made cluster, is fine.
func Down(ctx context.Context, name string, volumes bool, o Options) (docker.Removed, error) {
	st := o.Log().Start("Removing cluster %q", name)
	defer st.End(false)
	r, err := o.Docker.RemoveCluster(ctx, name, volumes)
	if err != nil {
		return r, err
	}
	st.End(true)
	return r, nil
}

// Summary is one cluster in `list`.
type Summary struct {
	Name    string `json:"name"`
	Mode    string `json:"mode"`
	Network string `json:"network"`
	Nodes   int    `json:"nodes"`
	Running int    `json:"running"`
	Ports   string `json:"ports"`
}

// List finds clusters by label.
func List(ctx context.Context, o Options) ([]Summary, error) {
	cts, err := o.Docker.List(ctx, "")
	if err != nil {
		return nil, err
	}
	return summarize(cts), nil
}

// summarize groups containers by cluster label, counting nodes only.
func summarize(cts []docker.Container) []Summary {
	var out []Summary
	idx := map[string]int{}
	for _, c := range cts {
		name := c.Labels[docker.LabelCluster]
		i, ok := idx[name]
		if !ok {
			idx[name], i = len(out), len(out)
			out = append(out, Summary{Name: name})
		}
		if s, ok := provision.ParseSpecLabel(c.Labels); ok && out[i].Mode == "" {
			out[i].Mode, out[i].Network = s.Mode, s.Network
		}
		if !c.IsNode() { // compose's bootstrap and other helpers
			continue
		}
		out[i].Nodes++
		if c.Running() {
			out[i].Running++
		}
		out[i].Ports = portRange(out[i].Ports, c.Port)
	}
	return out
}

func portRange(cur string, port int) string {
	if cur == "" {
		return itoa(port)
	}
	lo, _, _ := cut(cur)
	return lo + "-" + itoa(port)
}
