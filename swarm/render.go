// Package swarm runs a Redis Cluster on Docker Swarm: it renders the
// cluster as a stack file that `docker stack deploy` alone turns into a
// working cluster (compose-go types to YAML), and deploys, checks and
// removes the same stack through the Docker SDK (swarm up|status|down).
package swarm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// Files and ConfigFile are stackplan's, which writes them.
type Files = stackplan.Files

// ConfigFile is the name of a node's base config in Files.Dir.
func ConfigFile(port int) string { return stackplan.ConfigFile(port) }

// Placement pins nodes to Swarm nodes so each replica runs on another
// Swarm node than its master (and keeps its volume across restarts). With
// fewer than two Swarm nodes there is nothing to spread, and no
// constraints are rendered.
type Placement struct {
	Key   string   // the constraint's attribute: node.hostname or node.id
	Hosts []string // the Swarm nodes, by that attribute
}

// hosts is the Swarm node each of p's nodes goes on ("" for none), as
// topology's Plan.Hosts places them.
func (pl Placement) hosts(p *stackplan.Plan) []string {
	out := make([]string, len(p.Nodes))
	for i, h := range p.Topology().Hosts(len(pl.Hosts)) {
		out[i] = pl.Hosts[h]
	}
	return out
}

// Project is the stack as compose-go types.
func Project(p *Plan, f Files, pl Placement) *types.Project {
	pr := &types.Project{
		Services: types.Services{},
		Networks: types.Networks{stackplan.NetworkKey: {
			Driver: "overlay", Attachable: true, Labels: p.Labels(),
			Ipam: types.IPAMConfig{Config: []*types.IPAMPool{{Subnet: p.Subnet.String()}}},
		}},
		Volumes: types.Volumes{},
		Configs: types.Configs{},
		Secrets: types.Secrets{stackplan.PasswordSecret: {File: abs(f.Password), Labels: p.Labels()}},
	}
	if p.Spec.TLS {
		addTLSSecrets(pr, p, f)
	}
	if p.Spec.ACL() {
		pr.Secrets[stackplan.UsersSecret] = types.SecretConfig{File: abs(f.Users), Labels: p.Labels()}
	}
	if p.Spec.Encrypted {
		pr.Networks[stackplan.NetworkKey] = encrypted(pr.Networks[stackplan.NetworkKey])
	}
	at := pl.hosts(p)
	for i, n := range p.Nodes {
		key := ConfigFile(n.Port)
		pr.Configs[key] = types.ConfigObjConfig{
			Name: configName(p.Spec.Name, n.Port, n.Conf), File: filepath.Join(abs(f.Dir), key), Labels: p.Labels(),
		}
		pr.Volumes[volumeKey(n)] = types.VolumeConfig{Labels: p.Labels()}
		pr.Services[n.Service] = nodeService(p, n, pl.Key, at[i])
	}
	pr.Services[stackplan.BootstrapService] = bootstrapService(p)
	return pr
}

// configName names a node's config by its content: Swarm configs cannot
// change, so a changed config is a new one, and a redeploy rolls it out.
func configName(cluster string, port int, conf []byte) string {
	sum := sha256.Sum256(conf)
	return fmt.Sprintf("%s_redis-%d-%s", cluster, port, hex.EncodeToString(sum[:4]))
}

func volumeKey(n stackplan.Node) string { return n.Service + "-data" }

func nodeService(p *stackplan.Plan, n stackplan.Node, key, host string) types.ServiceConfig {
	svc := baseService(p, n.Service, p.NodeCommand(), p.NodeLabels(n))
	svc.Hostname = n.Service
	svc.Init = boolPtr(true)
	svc.StopGracePeriod = duration(30 * time.Second)
	svc.Volumes = []types.ServiceVolumeConfig{{Type: types.VolumeTypeVolume, Source: volumeKey(n), Target: stackplan.DataDir}}
	lock := stackplan.NodeLock
	svc.CapDrop, svc.ReadOnly = lock.CapDrop, lock.ReadOnly
	for _, t := range lock.Tmpfs {
		svc.Volumes = append(svc.Volumes, types.ServiceVolumeConfig{Type: types.VolumeTypeTmpfs, Target: t,
			Tmpfs: &types.ServiceVolumeTmpfs{Size: types.UnitBytes(docker.TmpfsBytes)}})
	}
	svc.Deploy.Resources.Limits = &types.Resource{Pids: lock.Pids}
	svc.Configs = []types.ServiceConfigObjConfig{{Source: ConfigFile(n.Port), Target: stackplan.ConfigPath,
		UID: uid, GID: uid, Mode: fileMode(0o440)}}
	svc.Secrets = append(svc.Secrets, tlsSecrets(p, &n)...)
	if p.Spec.ACL() {
		svc.Secrets = append(svc.Secrets, types.ServiceSecretConfig{Source: stackplan.UsersSecret, Target: stackplan.UsersSecret,
			UID: uid, GID: uid, Mode: fileMode(0o400)})
	}
	svc.Deploy.RestartPolicy = &types.RestartPolicy{Condition: "any", Delay: duration(5 * time.Second)}
	mem, cpus := limits(p)
	svc.Deploy.Resources.Limits.MemoryBytes, svc.Deploy.Resources.Limits.NanoCPUs = types.UnitBytes(mem), types.NanoCPUs(float64(cpus)/1e9)
	svc.Deploy.UpdateConfig = &types.UpdateConfig{Order: "stop-first"}
	if host != "" {
		svc.Deploy.Placement.Constraints = []string{key + " == " + host}
	}
	return svc
}

func bootstrapService(p *stackplan.Plan) types.ServiceConfig {
	svc := baseService(p, stackplan.BootstrapService, p.BootstrapCommand(), p.BootstrapLabels())
	svc.Secrets = append(svc.Secrets, tlsSecrets(p, nil)...)
	svc.Deploy.RestartPolicy = &types.RestartPolicy{Condition: "on-failure", Delay: duration(5 * time.Second)}
	return svc
}

// baseService is what node and bootstrap services share: the image, the
// network (DNS round robin: the name resolves to the task itself, not a
// virtual IP) and the password secret, readable by the redis user only.
func baseService(p *stackplan.Plan, name string, cmd []string, labels map[string]string) types.ServiceConfig {
	one := 1
	return types.ServiceConfig{
		Name: name,
		ContainerSpec: types.ContainerSpec{
			Image: p.Spec.Image, Command: cmd, Labels: labels,
			Networks: map[string]*types.ServiceNetworkConfig{stackplan.NetworkKey: nil},
			Secrets: []types.ServiceSecretConfig{{Source: stackplan.PasswordSecret, Target: stackplan.PasswordSecret,
				UID: uid, GID: uid, Mode: fileMode(0o400)}},
		},
		Deploy: &types.DeployConfig{Replicas: &one, EndpointMode: "dnsrr", Labels: labels},
	}
}

// limits are a node's --memory and --cpus (bytes, billionths of a CPU;
// 0: none), as up limits its node containers.
func limits(p *stackplan.Plan) (mem, nanoCPUs int64) {
	mem, _ = p.Spec.MemoryBytes() // checked by Validate
	nanoCPUs, _ = p.Spec.NanoCPUs()
	return mem, nanoCPUs
}

// addTLSSecrets declares a TLS stack's secrets, one file each in f.TLSDir.
func addTLSSecrets(pr *types.Project, p *stackplan.Plan, f Files) {
	keys := []string{stackplan.CASecret}
	for _, n := range p.Nodes {
		keys = append(keys, stackplan.CertSecret(n.Port), stackplan.KeySecret(n.Port))
	}
	for _, k := range keys {
		pr.Secrets[k] = types.SecretConfig{File: filepath.Join(abs(f.TLSDir), k), Labels: p.Labels()}
	}
}

// tlsSecrets mounts the TLS secrets of node n (nil: of a job), readable by
// the redis user only.
func tlsSecrets(p *stackplan.Plan, n *stackplan.Node) []types.ServiceSecretConfig {
	var out []types.ServiceSecretConfig
	for _, m := range p.TLSMounts(n) {
		out = append(out, types.ServiceSecretConfig{Source: m.Secret, Target: m.Target, UID: uid, GID: uid, Mode: fileMode(0o400)})
	}
	return out
}

// uid is the node image's redis user, as Swarm wants it (a string).
var uid = strconv.Itoa(stackplan.RedisUID)

func boolPtr(b bool) *bool { return &b }

func duration(d time.Duration) *types.Duration { v := types.Duration(d); return &v }

func fileMode(m int64) *types.FileMode { v := types.FileMode(m); return &v }

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// WriteFiles writes the configs and password the stack file refers to.
func WriteFiles(p *Plan, dir, passwordFile string) (Files, error) {
	return stackplan.WriteFiles(p, dir, passwordFile)
}
