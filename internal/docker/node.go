package docker

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
)

// NodeSpec is one container to create: everything the engine needs, and
// nothing secret (the config file is copied in separately).
type NodeSpec struct {
	Name        string
	Image       string
	Labels      map[string]string
	Cmd         []string
	Network     string     // network name, or a network mode such as host (see package netmode)
	IP          netip.Addr // static address on Network (bridge only)
	HostIP      string     // where published ports listen
	Publish     []int      // container ports published 1:1 on HostIP
	Volume      string     // named volume mounted at /data
	ConfigPath  string     // where the config is copied (for the record)
	StopTimeout int        // seconds
}

// ContainerConfig turns a NodeSpec into the SDK's three config structs.
// It is pure so that tests can check what would be created.
func ContainerConfig(n NodeSpec) (*container.Config, *container.HostConfig, *network.NetworkingConfig) {
	stop := n.StopTimeout
	cfg := &container.Config{
		Hostname:     n.Name,
		Image:        n.Image,
		Cmd:          n.Cmd,
		Labels:       n.Labels,
		ExposedPorts: nat.PortSet{},
		StopTimeout:  &stop,
	}
	host := &container.HostConfig{
		RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
		PortBindings:  nat.PortMap{},
		NetworkMode:   container.NetworkMode(n.Network),
		Init:          boolPtr(false),
		LogConfig:     container.LogConfig{Type: "json-file", Config: map[string]string{"max-size": "10m", "max-file": "2"}},
	}
	if n.Volume != "" {
		host.Mounts = []mount.Mount{{Type: mount.TypeVolume, Source: n.Volume, Target: "/data"}}
	}
	switch mode := container.NetworkMode(n.Network); {
	case mode.IsHost():
		cfg.Hostname = ""
		return cfg, host, nil
	case mode == "" || mode.IsNone() || mode.IsBridge() || mode.IsDefault():
		return cfg, host, nil
	}
	for _, p := range n.Publish {
		port := nat.Port(strconv.Itoa(p) + "/tcp")
		cfg.ExposedPorts[port] = struct{}{}
		host.PortBindings[port] = []nat.PortBinding{{HostIP: n.HostIP, HostPort: strconv.Itoa(p)}}
	}
	ep := &network.EndpointSettings{Aliases: []string{n.Name}}
	if n.IP.IsValid() {
		ep.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: n.IP.String()}
	}
	return cfg, host, &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{n.Network: ep}}
}

func boolPtr(b bool) *bool { return &b }

// NodeLabels are the labels of one node container.
func NodeLabels(cluster, role string, port, index int, extra map[string]string) map[string]string {
	l := map[string]string{
		LabelCluster: cluster,
		LabelRole:    role,
		LabelPort:    strconv.Itoa(port),
		LabelIndex:   strconv.Itoa(index),
	}
	for k, v := range extra {
		l[k] = v
	}
	return l
}

// VolumeName is the data volume of one node.
func VolumeName(container string) string { return fmt.Sprintf("%s-data", container) }
