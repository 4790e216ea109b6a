package docker

import (
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
)

func TestServiceSpec(t *testing.T) {
	s := ServiceSpec(Service{
		Name: "demo_node-7000", Alias: "node-7000", Image: "redis-dock/node:latest", Command: []string{"redis-dock", "node"},
		Labels: map[string]string{LabelCluster: "demo"}, ContainerLabels: map[string]string{LabelRole: "master"},
		Network: "net-id", Volume: "demo_node-7000-data", VolumeTarget: "/data", VolumeLabels: map[string]string{LabelCluster: "demo"},
		Configs:     []FileRef{{ID: "c1", Name: "demo_redis-7000-ab", Target: "/etc/redis-dock/redis.conf", UID: "999", GID: "999", Mode: 0o440}},
		Secrets:     []FileRef{{ID: "s1", Name: "demo_password", Target: "password", UID: "999", GID: "999", Mode: 0o400}},
		Constraints: []string{"node.id == x"}, Restart: RestartAny, RestartDelay: 5 * time.Second, Init: true,
	})
	cs := s.TaskTemplate.ContainerSpec
	switch {
	case s.Name != "demo_node-7000" || s.Labels[LabelCluster] != "demo" || cs.Labels[LabelRole] != "master":
		t.Errorf("names and labels: %+v / %+v", s.Annotations, cs.Labels)
	case s.EndpointSpec.Mode != swarm.ResolutionModeDNSRR || *s.Mode.Replicated.Replicas != 1:
		t.Errorf("endpoint %+v, mode %+v", s.EndpointSpec, s.Mode)
	case len(s.TaskTemplate.Networks) != 1 || s.TaskTemplate.Networks[0].Aliases[0] != "node-7000":
		t.Errorf("networks %+v", s.TaskTemplate.Networks)
	case cs.Secrets[0].File.Mode != 0o400 || cs.Secrets[0].File.UID != "999" || cs.Configs[0].File.Name != "/etc/redis-dock/redis.conf":
		t.Errorf("secrets %+v configs %+v", cs.Secrets[0].File, cs.Configs[0].File)
	case cs.Mounts[0].VolumeOptions.Labels[LabelCluster] != "demo" || !*cs.Init:
		t.Errorf("mounts %+v init %v", cs.Mounts, cs.Init)
	case s.TaskTemplate.RestartPolicy.Condition != swarm.RestartPolicyConditionAny || s.UpdateConfig.Order != swarm.UpdateOrderStopFirst:
		t.Errorf("restart %+v update %+v", s.TaskTemplate.RestartPolicy, s.UpdateConfig)
	case s.TaskTemplate.Placement.Constraints[0] != "node.id == x":
		t.Errorf("placement %+v", s.TaskTemplate.Placement)
	}
}
