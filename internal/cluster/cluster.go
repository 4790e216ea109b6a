// Package cluster is the front door of redis-dock: Up, Down, Status, List
// and Password, each a pipeline of small steps over the Docker engine and
// the nodes themselves.
package cluster

import (
	"fmt"
	"strconv"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/netmode"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

// ConfigPath is where each node's rendered config lives in its container.
const ConfigPath = provision.ConfigPath

// Options are how to run a command, as opposed to what to build.
type Options = provision.Options

// NetworkName is the cluster's own bridge network.
func NetworkName(cluster string) string {
	return netmode.Bridge.Network(netmode.Params{Cluster: cluster})
}

// AdminAddr is host:port for one node as seen from the host.
func AdminAddr(s spec.Spec, port int) string {
	return s.Net().AdminAddr(port)
}

// renderNode renders one node's redis.conf for the spec's network mode.
func renderNode(s spec.Spec, n topology.Node) ([]byte, error) {
	return renderNodeIn(s, n, images.DataDir)
}

func renderNodeIn(s spec.Spec, n topology.Node, dir string) ([]byte, error) {
	r := templates.Redis{
		Name: n.Name, Port: n.Port, BusPort: n.BusPort, Password: s.Password,
		Cluster: s.Mode == spec.ModeCluster, NodeTimeout: s.NodeTimeout,
		AppendOnly: s.AppendOnly, Dir: dir, Extra: s.Config, ProtectedMode: s.ProtectedMode(),
	}
	nn := s.Net().Node()
	r.Bind, r.AnnounceIP = []string{nn.Bind}, nn.Announce
	if nn.Hostname && s.Endpoint == spec.EndpointHostname && r.Cluster {
		r.AnnounceHostname = "localhost"
		r.PreferredEndpointType = "hostname"
	}
	return templates.RenderRedis(r)
}

// planFor plans the spec's nodes (addresses filled in later for bridge).
func planFor(s spec.Spec) topology.Plan {
	return topology.New(topology.Params{
		Cluster: s.Name, Masters: s.Masters, Replicas: s.Replicas,
		Port: s.Port, BusPort: s.FirstBusPort(),
	})
}

func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

func itoa(i int) string { return strconv.Itoa(i) }

func cut(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
