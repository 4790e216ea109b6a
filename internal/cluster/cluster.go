// Package cluster is the front door of redis-dock: Up, Down, Status, List
// and Password, each a pipeline of small steps over the Docker engine and
// the nodes themselves. Node configs come from templates.RenderNode, and
// scale and heal apply topology's replica policy.
package cluster

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

// ConfigPath is where each node's rendered config lives in its container.
const ConfigPath = images.ConfigDir + "/redis.conf"

// Options are how to run a command, as opposed to what to build.
type Options struct {
	Logger *cli.Logger
	Docker *docker.Client
	Retain bool // keep what a failed Up made, for debugging
}

func (o Options) log() *cli.Logger {
	if o.Logger == nil {
		return cli.Discard()
	}
	return o.Logger
}

// NetworkName is the cluster's own bridge network.
func NetworkName(cluster string) string { return "redis-dock-" + cluster }

// specLabel is the spec as stored on every container: no secrets, so
// `up` can compare and `status` can tell the network mode.
func specLabel(s spec.Spec) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// specOf reads the spec label of the first container that carries one:
// compose puts it on the bootstrap helper only, not on the nodes.
func specOf(cts []docker.Container) (spec.Spec, bool) {
	for _, c := range cts {
		if s, ok := parseSpecLabel(c.Labels); ok {
			return s, true
		}
	}
	return spec.Spec{}, false
}

func parseSpecLabel(labels map[string]string) (spec.Spec, bool) {
	var s spec.Spec
	if err := json.Unmarshal([]byte(labels[docker.LabelSpec]), &s); err != nil {
		return s, false
	}
	return s, true
}

// adminHost is where the host reaches a node's client port.
func adminHost(s spec.Spec) string {
	h := s.HostIP
	if s.Network == spec.NetworkHost {
		h = s.BindAddress()
	}
	if h == "" || h == "0.0.0.0" || h == "::" {
		return "127.0.0.1"
	}
	return h
}

// AdminAddr is host:port for one node as seen from the host.
func AdminAddr(s spec.Spec, port int) string {
	return net.JoinHostPort(adminHost(s), strconv.Itoa(port))
}

// renderNode renders one node's redis.conf for the spec's network mode.
func renderNode(s spec.Spec, n topology.Node) ([]byte, error) {
	return renderNodeIn(s, n, images.DataDir)
}

func renderNodeIn(s spec.Spec, n topology.Node, dir string) ([]byte, error) {
	node := templates.Node{Name: n.Name, Port: n.Port, BusPort: n.BusPort, Dir: dir}
	switch s.Network {
	case spec.NetworkHost:
		bind := s.BindAddress()
		node.Bind = []string{bind}
		node.AnnounceIP = s.AnnounceIP
		if node.AnnounceIP == "" && bind != "0.0.0.0" && bind != "::" { // unspecified: nothing to announce
			node.AnnounceIP = bind
		}
	default:
		node.Bind = []string{"0.0.0.0"}
		node.AnnounceIP = s.AnnounceIP
		if s.Endpoint == spec.EndpointHostname {
			node.AnnounceHostname = "localhost"
		}
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
