package sentinel

import (
	"fmt"
	"net/netip"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

// SentinelConfigPath is where each sentinel's config lives; the directory
// is the redis user's, since sentinel rewrites the file.
const SentinelConfigPath = images.ConfigDir + "/sentinel.conf"

// plan lays out the group (topology.Group): the master at index 0, then
// the replicas, then the sentinels, node i on port+i. Addresses are
// filled in when subnet is valid (bridge networking).
func plan(s spec.Spec, subnet netip.Prefix) []topology.Node {
	return topology.Group(topology.GroupParams{
		Name: s.Name, Port: s.Port, Replicas: s.Replicas, Sentinels: s.SentinelCount(),
		Cascade: s.Cascade, Subnet: subnet,
	})
}

// split returns the data nodes (master and replicas) and the sentinels.
func split(nodes []topology.Node) (data, sentinels []topology.Node) {
	for _, n := range nodes {
		if n.Role == topology.RoleSentinel {
			sentinels = append(sentinels, n)
		} else {
			data = append(data, n)
		}
	}
	return data, sentinels
}

// peerHost is where the other containers reach node n: its address on the
// group's network, or with host networking the announced or bound address.
func peerHost(s spec.Spec, n topology.Node) string {
	if s.Network == spec.NetworkHost {
		if s.AnnounceIP != "" {
			return s.AnnounceIP
		}
		if b := s.BindAddress(); b != "0.0.0.0" && b != "::" {
			return b
		}
		return "127.0.0.1"
	}
	return n.IP.String()
}

func bindFor(s spec.Spec) []string {
	if s.Network == spec.NetworkHost {
		return []string{s.BindAddress()}
	}
	return []string{"0.0.0.0"}
}

// announceFor is what nodes announce: only with host networking behind
// NAT; on a bridge each node's own address is right, and a loopback
// address would break node-to-node traffic.
func announceFor(s spec.Spec) string {
	if s.Network == spec.NetworkHost {
		return s.AnnounceIP
	}
	return ""
}

// renderData renders a master's or replica's redis.conf.
func renderData(s spec.Spec, nodes []topology.Node, n topology.Node) ([]byte, error) {
	node := templates.Node{Name: n.Name, Port: n.Port, Bind: bindFor(s), AnnounceIP: announceFor(s), Dir: images.DataDir}
	if n.Master >= 0 {
		up := nodes[n.Master]
		node.ReplicaOf = fmt.Sprintf("%s %d", peerHost(s, up), up.Port)
	}
	return templates.RenderNode(s.NodeSettings(), node)
}

// renderSentinel renders a sentinel's sentinel.conf, monitoring the
// planned master under the group's name.
func renderSentinel(s spec.Spec, nodes []topology.Node, n topology.Node) ([]byte, error) {
	master := nodes[0]
	return templates.RenderSentinel(templates.Sentinel{
		Name: n.Name, Port: n.Port, Bind: bindFor(s), ProtectedMode: s.ProtectedMode(),
		Password: s.Password, Dir: images.DataDir, AnnounceIP: announceFor(s),
		MasterName: s.Name, MasterHost: peerHost(s, master), MasterPort: master.Port,
		Quorum: s.Quorum(), DownAfter: s.DownAfterMillis(), FailoverTimeout: s.FailoverTimeout(),
	})
}

// configFile is the file copied into node n's container before it starts.
func configFile(s spec.Spec, nodes []topology.Node, n topology.Node) (path string, data []byte, err error) {
	if n.Role == topology.RoleSentinel {
		data, err = renderSentinel(s, nodes, n)
		return SentinelConfigPath, data, err
	}
	data, err = renderData(s, nodes, n)
	return cluster.ConfigPath, data, err
}
