package swarm

import (
	"strconv"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/netmode"
	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// What `docker stack deploy` would call the objects of the stack named
// by the cluster, so a stack deployed either way is found by both.
func networkName(stack string) string        { return netmode.Overlay.Network(netmode.Params{Cluster: stack}) }
func secretName(stack string) string         { return stack + "_" + stackplan.PasswordSecret }
func serviceName(stack, short string) string { return stack + "_" + short }
func volumeName(stack string, n stackplan.Node) string {
	return stack + "_" + volumeKey(n)
}

// stackLabels adds the stack namespace label to l (a copy).
func stackLabels(stack string, l map[string]string) map[string]string {
	out := map[string]string{docker.LabelStackNamespace: stack}
	for k, v := range l {
		out[k] = v
	}
	return out
}

// refs are what the services attach and mount.
type refs struct {
	network     string // ID
	networkName string
	secret      string // ID
	secretName  string
	configs     map[int]string                // IDs by port
	tls         map[string]docker.StackObject // TLS secrets by key (stackplan.TLSMounts)
	users       docker.StackObject            // the users secret (stackplan.UsersSecret)
}

// tlsRefs mounts the TLS secrets of node n (nil: of a job), readable by
// the redis user only.
func tlsRefs(p *stackplan.Plan, r refs, n *stackplan.Node) []docker.FileRef {
	var out []docker.FileRef
	for _, m := range p.TLSMounts(n) {
		o := r.tls[m.Secret]
		out = append(out, docker.FileRef{ID: o.ID, Name: o.Name, Target: m.Target, UID: uid, GID: uid, Mode: 0o400})
	}
	return out
}

// sdkNodeService is node n as an SDK service, the same as the stack file's.
func sdkNodeService(p *stackplan.Plan, n stackplan.Node, r refs, constraint string) docker.Service {
	stack := p.Spec.Name
	s := baseSDKService(p, n.Service, p.NodeCommand(), p.NodeLabels(n), r)
	s.Hostname, s.Init, s.StopGrace = n.Service, true, 30*time.Second
	s.Configs = []docker.FileRef{{ID: r.configs[n.Port], Name: configName(stack, n.Port, n.Conf), Target: stackplan.ConfigPath,
		UID: uid, GID: uid, Mode: 0o440}}
	s.Secrets = append(s.Secrets, tlsRefs(p, r, &n)...)
	if p.Spec.ACL() {
		s.Secrets = append(s.Secrets, docker.FileRef{ID: r.users.ID, Name: r.users.Name, Target: stackplan.UsersSecret, UID: uid, GID: uid, Mode: 0o400})
	}
	s.Volume, s.VolumeTarget, s.VolumeLabels = volumeName(stack, n), stackplan.DataDir, stackLabels(stack, p.Labels())
	s.Restart = docker.RestartAny
	s.Locked = stackplan.NodeLock
	s.Memory, s.NanoCPUs = limits(p)
	if constraint != "" {
		s.Constraints = []string{constraint}
	}
	return s
}

func sdkBootstrapService(p *stackplan.Plan, r refs) docker.Service {
	s := baseSDKService(p, stackplan.BootstrapService, p.BootstrapCommand(), p.BootstrapLabels(), r)
	s.Secrets = append(s.Secrets, tlsRefs(p, r, nil)...)
	s.Restart = docker.RestartOnFailure
	return s
}

// checkJob is a one-shot `redis-dock check` on the stack's network, with
// the stack's password secret.
func checkJob(p *stackplan.Plan, r refs, wait time.Duration, extra ...string) docker.Service {
	args := append([]string{"--wait", wait.String()}, extra...)
	labels := map[string]string{docker.LabelCluster: p.Spec.Name, docker.LabelRole: "check"}
	s := baseSDKService(p, "check-"+strconv.FormatInt(time.Now().UnixNano()%1e9, 36), p.CheckCommand(args...), labels, r)
	s.Secrets = append(s.Secrets, tlsRefs(p, r, nil)...)
	return s
}

func baseSDKService(p *stackplan.Plan, short string, cmd []string, labels map[string]string, r refs) docker.Service {
	stack := p.Spec.Name
	l := stackLabels(stack, labels)
	return docker.Service{
		Name: serviceName(stack, short), Alias: short, Image: p.Spec.Image, Command: cmd,
		Labels: l, ContainerLabels: l, Network: r.network, RestartDelay: 5 * time.Second,
		Secrets: []docker.FileRef{{ID: r.secret, Name: r.secretName, Target: stackplan.PasswordSecret, UID: uid, GID: uid, Mode: 0o400}},
	}
}
