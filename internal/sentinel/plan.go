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

// plan lays out the group: the master at index 0, then the replicas, then
// the sentinels, node i on port+i. A replica's Master is the index of the
// node it follows: the master, or with cascade the replica before it.
// Addresses are filled in when subnet is valid (bridge networking).
func plan(s spec.Spec, subnet netip.Prefix) []topology.Node {
	nodes := make([]topology.Node, s.Nodes())
	for i := range nodes {
		n := topology.Node{Index: i, Port: s.Port + i, Role: topology.RoleSentinel, Master: -1}
		n.Name = fmt.Sprintf("%s-%d", s.Name, n.Port)
		switch {
		case i == 0:
			n.Role = topology.RoleMaster
		case i <= s.Replicas:
			n.Role, n.Master = topology.RoleReplica, 0
			if s.Cascade {
				n.Master = i - 1
			}
		}
		if subnet.IsValid() {
			n.IP = topology.HostAddr(subnet, topology.FirstHost+i)
		}
		nodes[i] = n
	}
	return nodes
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
	r := templates.Redis{
		Name: n.Name, Port: n.Port, Bind: bindFor(s), ProtectedMode: s.ProtectedMode(),
		Password: s.Password, AnnounceIP: announceFor(s), AppendOnly: s.AppendOnly,
		Dir: images.DataDir, Extra: s.Config,
	}
	if n.Master >= 0 {
		up := nodes[n.Master]
		r.ReplicaOf = fmt.Sprintf("%s %d", peerHost(s, up), up.Port)
	}
	return templates.RenderRedis(r)
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
	return provision.ConfigPath, data, err
}
