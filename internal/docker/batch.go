package docker

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// ContainerOwners looks up many container names in one engine call and
// returns, for each name taken, the cluster label of its container (""
// when it has none). Names not in the map are free.
func (c *Client) ContainerOwners(ctx context.Context, names []string) (map[string]string, error) {
	out := map[string]string{}
	if len(names) == 0 {
		return out, nil
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	f := filters.NewArgs(filters.Arg("name", "^/("+strings.Join(quoted, "|")+")$"))
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("failed to list containers: %w", err)
	}
	for _, s := range list {
		for _, n := range s.Names {
			out[strings.TrimPrefix(n, "/")] = s.Labels[LabelCluster]
		}
	}
	return out, nil
}

// ClusterIPs returns the address of every container of a cluster on the
// named network, by container name, in one engine call.
func (c *Client) ClusterIPs(ctx context.Context, cluster, networkName string) (map[string]netip.Addr, error) {
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true, Filters: clusterFilter(cluster)})
	if err != nil {
		return nil, fmt.Errorf("failed to list containers: %w", err)
	}
	out := map[string]netip.Addr{}
	for _, s := range list {
		if s.NetworkSettings == nil || s.NetworkSettings.Networks[networkName] == nil || len(s.Names) == 0 {
			continue
		}
		if ip, err := netip.ParseAddr(s.NetworkSettings.Networks[networkName].IPAddress); err == nil {
			out[strings.TrimPrefix(s.Names[0], "/")] = ip
		}
	}
	return out, nil
}
