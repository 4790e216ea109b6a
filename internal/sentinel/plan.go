package sentinel

import (
	"fmt"
	"net/netip"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/provision"
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

// peerHost is where the other containers reach node n, as the network
// mode says: its address on the group's network, or with host networking
// the announced or bound address.
func peerHost(s spec.Spec, n topology.Node) string { return s.Net().Peer(n.IP) }

func bindFor(s spec.Spec) []string { return []string{s.Net().Node().Bind} }

// announceFor is what nodes announce, as the network mode says: only
// --announce-ip with host networking behind NAT; on a bridge each node's
// own address is right.
func announceFor(s spec.Spec) string { return s.Net().Node().Announce }

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
// planned master (masterNode) under the group's name.
func renderSentinel(s spec.Spec, nodes []topology.Node, n topology.Node) ([]byte, error) {
	master := masterNode(nodes)
	return templates.RenderSentinel(templates.Sentinel{
		Name: n.Name, Port: n.Port, Bind: bindFor(s), ProtectedMode: s.ProtectedMode(),
		Password: s.Password, Dir: images.DataDir, AnnounceIP: announceFor(s),
		MasterName: s.Name, MasterHost: peerHost(s, master), MasterPort: master.Port,
		Quorum: s.Quorum(), DownAfter: s.DownAfterMillis(), FailoverTimeout: s.FailoverTimeout(), TLS: s.NodeTLS(), AuthUser: s.AdminUser(),
	})
}

// masterNode is the node nodes plan as the master: the first one as `up`
// plans a group; upgrade plans the one serving as master now.
func masterNode(nodes []topology.Node) topology.Node {
	for _, n := range nodes {
		if n.Role == topology.RoleMaster {
			return n
		}
	}
	return nodes[0]
}

// configFile is the file copied into node n's container before it starts.
func configFile(s spec.Spec, nodes []topology.Node, n topology.Node) (path string, data []byte, err error) {
	if n.Role == topology.RoleSentinel {
		data, err = renderSentinel(s, nodes, n)
		return SentinelConfigPath, data, err
	}
	data, err = renderData(s, nodes, n)
	return provision.ConfigPath, data, err
}
