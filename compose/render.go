// Package compose renders a cluster as a compose file that `docker
// compose up` (or docker-compose) alone turns into a working cluster on a
// bridge network: the nodes find their own addresses and a one-shot
// bootstrap forms the cluster, as in a Swarm stack (package swarm).
package compose

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/redis-dock/redis-dock/internal/selfboot"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// renderPlan renders the compose file of plan p; the configs and
// password it refers to are where f says (selfboot.WriteFiles writes
// them).
func renderPlan(p *selfboot.Plan, f selfboot.Files) ([]byte, error) {
	b, err := project(p, f).MarshalYAML()
	if err != nil {
		return nil, fmt.Errorf("failed to render the compose file: %w", err)
	}
	return shortPorts(b)
}

// project is the compose file as compose-go types: a service per node
// with a static address (so a restart keeps it), its port published 1:1
// on the spec's host IP, its own volume, its base config bind-mounted
// read-only and the password as a secret; and the bootstrap.
func project(p *selfboot.Plan, f selfboot.Files) *types.Project {
	pr := &types.Project{
		Services: types.Services{},
		Networks: types.Networks{selfboot.NetworkKey: {
			Driver: "bridge", Labels: p.Labels(),
			Ipam: types.IPAMConfig{Config: []*types.IPAMPool{{Subnet: p.Subnet.String()}}},
		}},
		Volumes: types.Volumes{},
	}
	if !p.Spec.NoPassword {
		pr.Secrets = types.Secrets{selfboot.PasswordSecret: {File: f.Password, Labels: p.Labels()}}
	}
	for _, n := range p.Nodes {
		pr.Volumes[volumeKey(n)] = types.VolumeConfig{Labels: p.Labels()}
		pr.Services[n.Service] = nodeService(p, n, f)
	}
	pr.Services[selfboot.BootstrapService] = bootstrapService(p)
	return pr
}

func volumeKey(n selfboot.Node) string { return n.Service + "-data" }

func nodeService(p *selfboot.Plan, n selfboot.Node, f selfboot.Files) types.ServiceConfig {
	svc := baseService(p, n.Service, p.NodeCommand(), p.NodeLabels(n))
	ip := topology.HostAddr(p.Subnet, topology.FirstHost+n.Index)
	svc.Networks[selfboot.NetworkKey] = &types.ServiceNetworkConfig{Ipv4Address: ip.String()}
	svc.Hostname, svc.Restart, svc.Init = n.Service, types.RestartPolicyUnlessStopped, boolPtr(true)
	grace := types.Duration(30 * time.Second)
	svc.StopGracePeriod = &grace
	svc.Ports = []types.ServicePortConfig{{HostIP: p.Spec.HostIP, Target: uint32(n.Port), Published: strconv.Itoa(n.Port), Protocol: "tcp"}}
	svc.Volumes = []types.ServiceVolumeConfig{
		{Type: types.VolumeTypeVolume, Source: volumeKey(n), Target: selfboot.DataDir},
		{Type: types.VolumeTypeBind, Source: filepath.Join(f.Dir, selfboot.ConfigFile(n.Port)), Target: selfboot.ConfigPath, ReadOnly: true},
	}
	return svc
}

func bootstrapService(p *selfboot.Plan) types.ServiceConfig {
	svc := baseService(p, selfboot.BootstrapService, p.BootstrapCommand(), p.BootstrapLabels())
	svc.Restart = types.RestartPolicyOnFailure
	return svc
}

// baseService is what nodes and the bootstrap share. They start as root:
// compose mounts a secret with the host file's owner and mode (0600,
// root), so the commands read it as root, then drop to the redis user.
func baseService(p *selfboot.Plan, name string, cmd []string, labels map[string]string) types.ServiceConfig {
	svc := types.ServiceConfig{
		Name: name,
		ContainerSpec: types.ContainerSpec{
			Image: p.Spec.Image, Command: cmd, Labels: labels, User: "0:0",
			Networks: map[string]*types.ServiceNetworkConfig{selfboot.NetworkKey: nil},
		},
	}
	if !p.Spec.NoPassword {
		svc.Secrets = []types.ServiceSecretConfig{{Source: selfboot.PasswordSecret}}
	}
	return svc
}

func boolPtr(b bool) *bool { return &b }
