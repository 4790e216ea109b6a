// Package cluster is the front door of redis-dock: Up, Down, Status, List
// and Password, each a pipeline of small steps over the Docker engine and
// the nodes themselves. Node configs come from templates.RenderNode, and
// scale and heal apply topology's replica policy.
package cluster

import (
	"fmt"
	"strconv"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/netmode"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
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
	node := templates.Node{Name: n.Name, Port: n.Port, BusPort: n.BusPort, Dir: dir}
	nn := s.Net().Node()
	node.Bind, node.AnnounceIP = []string{nn.Bind}, nn.Announce
	if nn.Hostname && s.Endpoint == spec.EndpointHostname {
		node.AnnounceHostname = "localhost"
	}
	return templates.RenderNode(s.NodeSettings(), node)
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

// WithLogger is a redisdock.Option (its type is that option's) that logs
// to the CLI's logger, which the public API does not expose.
func WithLogger(l *status.Logger) func(*Options) { return func(o *Options) { o.Logger = l } }
