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

	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// renderPlan renders the compose file of plan p; the configs and
// password it refers to are where f says (stackplan.WriteFiles writes
// them).
func renderPlan(p *stackplan.Plan, f stackplan.Files) ([]byte, error) {
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
func project(p *stackplan.Plan, f stackplan.Files) *types.Project {
	pr := &types.Project{
		Services: types.Services{},
		Networks: types.Networks{stackplan.NetworkKey: {
			Driver: "bridge", Labels: p.Labels(),
			Ipam: types.IPAMConfig{Config: []*types.IPAMPool{{Subnet: p.Subnet.String()}}},
		}},
		Volumes: types.Volumes{},
	}
	if !p.Spec.NoPassword {
		pr.Secrets = types.Secrets{stackplan.PasswordSecret: {File: f.Password, Labels: p.Labels()}}
	}
	for _, n := range p.Nodes {
		pr.Volumes[volumeKey(n)] = types.VolumeConfig{Labels: p.Labels()}
		pr.Services[n.Service] = nodeService(p, n, f)
	}
	pr.Services[stackplan.BootstrapService] = bootstrapService(p)
	return pr
}

func volumeKey(n stackplan.Node) string { return n.Service + "-data" }

func nodeService(p *stackplan.Plan, n stackplan.Node, f stackplan.Files) types.ServiceConfig {
	svc := baseService(p, n.Service, p.NodeCommand(), p.NodeLabels(n))
	ip := topology.HostAddr(p.Subnet, topology.FirstHost+n.Index)
	svc.Networks[stackplan.NetworkKey] = &types.ServiceNetworkConfig{Ipv4Address: ip.String()}
	svc.Hostname, svc.Restart, svc.Init = n.Service, types.RestartPolicyUnlessStopped, boolPtr(true)
	grace := types.Duration(30 * time.Second)
	svc.StopGracePeriod = &grace
	svc.Ports = []types.ServicePortConfig{{HostIP: p.Spec.HostIP, Target: uint32(n.Port), Published: strconv.Itoa(n.Port), Protocol: "tcp"}}
	svc.Volumes = []types.ServiceVolumeConfig{
		{Type: types.VolumeTypeVolume, Source: volumeKey(n), Target: stackplan.DataDir},
		{Type: types.VolumeTypeBind, Source: filepath.Join(f.Dir, stackplan.ConfigFile(n.Port)), Target: stackplan.ConfigPath, ReadOnly: true},
	}
	// locked down as a Swarm node task, but for what its start as root
	// needs: read the password file (the host file's owner and mode),
	// write the final config onto the data volume and give it to the redis
	// user, then drop to that user (which leaves it no capability)
	lock := stackplan.NodeLock
	svc.CapDrop, svc.CapAdd = lock.CapDrop, []string{"CHOWN", "DAC_OVERRIDE", "SETGID", "SETUID"}
	svc.SecurityOpt, svc.ReadOnly, svc.Tmpfs, svc.PidsLimit = []string{"no-new-privileges"}, lock.ReadOnly, lock.Tmpfs, lock.Pids
	return svc
}

func bootstrapService(p *stackplan.Plan) types.ServiceConfig {
	svc := baseService(p, stackplan.BootstrapService, p.BootstrapCommand(), p.BootstrapLabels())
	svc.Restart = types.RestartPolicyOnFailure
	return svc
}

// baseService is what nodes and the bootstrap share. They start as root:
// compose mounts a secret with the host file's owner and mode (0600,
// root), so the commands read it as root, then drop to the redis user.
func baseService(p *stackplan.Plan, name string, cmd []string, labels map[string]string) types.ServiceConfig {
	svc := types.ServiceConfig{
		Name: name,
		ContainerSpec: types.ContainerSpec{
			Image: p.Spec.Image, Command: cmd, Labels: labels, User: "0:0",
			Networks: map[string]*types.ServiceNetworkConfig{stackplan.NetworkKey: nil},
		},
	}
	if !p.Spec.NoPassword {
		svc.Secrets = []types.ServiceSecretConfig{{Source: stackplan.PasswordSecret}}
	}
	return svc
}

func boolPtr(b bool) *bool { return &b }
