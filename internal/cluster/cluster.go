// Package cluster is the front door of redis-dock: Up, Down, Status, List
// and Password, each a pipeline of small steps over the Docker engine and
// the nodes themselves.
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
	r := templates.Redis{
		Name: n.Name, Port: n.Port, BusPort: n.BusPort, Password: s.Password,
		Cluster: s.Mode == spec.ModeCluster, NodeTimeout: s.NodeTimeout,
		AppendOnly: s.AppendOnly, Dir: dir, Extra: s.Config, ProtectedMode: s.ProtectedMode(),
	}
	switch s.Network {
	case spec.NetworkHost:
		bind := s.BindAddress()
		r.Bind = []string{bind}
		r.AnnounceIP = s.AnnounceIP
		if r.AnnounceIP == "" && bind != "0.0.0.0" && bind != "::" { // unspecified: nothing to announce
			r.AnnounceIP = bind
		}
	default:
		r.Bind = []string{"0.0.0.0"}
		r.AnnounceIP = s.AnnounceIP
		if s.Endpoint == spec.EndpointHostname && r.Cluster {
			r.AnnounceHostname = "localhost"
			r.PreferredEndpointType = "hostname"
		}
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

// WithLogger is a redisdock.Option (its type is that option's) that logs
// to the CLI's logger, which the public API does not expose.
func WithLogger(l *cli.Logger) func(*Options) { return func(o *Options) { o.Logger = l } }
