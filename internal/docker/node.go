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
	// ConfigVolume is a named volume mounted at ConfigDir: with it the
	// root filesystem is read-only (the config is copied into the volume,
	// CONFIG REWRITE writes there). Without it (nodes made before locked
	// containers) the container is made as before.
	ConfigVolume string
	// PrivateVolume is a named volume mounted at PrivateDir (a TLS node's
	// CA key, owned by root) when the root filesystem is read-only.
	PrivateVolume string
	Memory        int64 // bytes; 0: no limit
	NanoCPUs      int64 // 1e9 is one CPU; 0: no limit
}

// ConfigDir is where a node's config lives (images.ConfigDir; package
// images is not imported here).
const ConfigDir = "/etc/redis"

// PrivateDir is where files only redis-dock reads live (provision.PrivateDir).
const PrivateDir = "/etc/redis-dock"

// PidsLimit bounds the processes and threads of a node container:
// redis-server uses a handful of threads, a BGSAVE or AOF rewrite forks one child.
const PidsLimit = 256

// TmpSize is the size of the tmpfs at /tmp of a read-only node container.
const TmpSize = "16m"

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
	lockDown(n, host)
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

// lockDown gives a node container nothing an intruder could use: no
// capabilities, no privilege gain through setuid binaries, a bounded
// number of processes, and (with a config volume) a read-only root
// filesystem whose only writable places are /data, the config directory
// and a small /tmp. Memory and CPUs are limited when the spec says so.
func lockDown(n NodeSpec, host *container.HostConfig) {
	host.CapDrop = []string{"ALL"}
	host.SecurityOpt = []string{"no-new-privileges"}
	pids := int64(PidsLimit)
	host.PidsLimit = &pids
	host.Memory = n.Memory
	if n.Memory > 0 {
		host.MemorySwap = n.Memory // no swap beyond the limit
	}
	host.NanoCPUs = n.NanoCPUs
	if n.ConfigVolume == "" {
		return
	}
	host.ReadonlyRootfs = true
	host.Mounts = append(host.Mounts, mount.Mount{Type: mount.TypeVolume, Source: n.ConfigVolume, Target: ConfigDir})
	if n.PrivateVolume != "" {
		host.Mounts = append(host.Mounts, mount.Mount{Type: mount.TypeVolume, Source: n.PrivateVolume, Target: PrivateDir})
	}
	host.Tmpfs = map[string]string{"/tmp": "rw,noexec,nosuid,nodev,size=" + TmpSize}
}

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

// NodeVolumes are the volumes a node container may have: data, config
// and private (scale-in and a new node's start remove them all).
func NodeVolumes(container string) []string {
	return []string{VolumeName(container), ConfigVolumeName(container), PrivateVolumeName(container)}
}

// PrivateVolumeName is the private volume of one node with TLS or ACL
// users (at PrivateDir).
func PrivateVolumeName(container string) string { return fmt.Sprintf("%s-private", container) }

// ConfigVolumeName is the config volume of one node (mounted at ConfigDir).
func ConfigVolumeName(container string) string { return fmt.Sprintf("%s-conf", container) }
