package swarm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// TestIntegrationSwarmTLS: `swarm up --tls` forms the stack over TLS
// (the node image's bootstrap and check speak it), `swarm status` finds
// it healthy over TLS, keys are written and read back over TLS, a check
// that speaks plain TCP to the same nodes gets nowhere, and no key or
// password shows in `docker service inspect` of any service.
func TestIntegrationSwarmTLS(t *testing.T) {
	d := needSwarm(t)
	cli := dockerCLI(t)
	ctx := context.Background()
	s, o, res := upStack(t, d, "swtls", func(s *spec.Spec) { s.TLS, s.Memory, s.CPUs = true, "256m", "0.5" })
	t.Logf("swarm up --tls took %v", res.Elapsed.Round(time.Second))
	st, err := GetStatus(ctx, s.Name, 10*time.Second, o)
	if err != nil || !st.Healthy {
		t.Fatalf("status over TLS: %+v, %v", st, err)
	}
	services, p, r, err := findStack(ctx, d, s.Name, "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := runCheck(ctx, d, p, r, time.Minute, "--write-keys", "500", "--prefix", "tls")
	if err != nil || rep.Written != 500 {
		t.Fatalf("keys over TLS: written %d, %v", rep.Written, err)
	}
	plain := *p
	plain.Spec.TLS = false // no --tls-ca, no CA mounted: plain TCP to the TLS ports
	rep, err = runCheck(ctx, d, &plain, r, 10*time.Second)
	if err == nil || rep.Healthy {
		t.Fatalf("a plain-TCP check found the TLS stack healthy: %+v", rep)
	}
	t.Logf("plain TCP refused: %v", err)
	for _, svc := range services {
		out, err := exec.CommandContext(ctx, cli, "service", "inspect", svc.Name).CombinedOutput()
		if err != nil {
			t.Fatalf("docker service inspect %s: %v\n%s", svc.Name, err, out)
		}
		checkLockedDown(t, svc.Name, out, true)
		for _, secret := range [][]byte{[]byte("PRIVATE KEY"), []byte("BEGIN CERTIFICATE"), []byte(res.Spec.Password)} {
			if bytes.Contains(out, secret) {
				t.Errorf("docker service inspect %s shows %.20q", svc.Name, secret)
			}
		}
	}
}

// TestIntegrationStackDeployTLS: the files `stack render --tls` writes
// are enough for `docker stack deploy`: the stack forms over TLS, keys go
// in and come back over TLS, and the stack file holds no key.
func TestIntegrationStackDeployTLS(t *testing.T) {
	d := needSwarm(t)
	st := deployStack(t, d, dockerCLI(t), func(s *spec.Spec) { s.TLS = true })
	if !st.plan.Spec.TLS {
		t.Fatal("the deployed stack's spec label does not say TLS")
	}
	rep := st.check(2*time.Minute, "--write-keys", fmt.Sprint(keys), "--prefix", "k")
	if !rep.Healthy || rep.Written != keys {
		t.Fatalf("check over TLS: %+v", rep)
	}
	services, err := d.Services(context.Background(), st.plan.Spec.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range services { // what docker stack deploy made of the file's cap_drop, read_only, pids
		out, err := exec.Command(dockerCLI(t), "service", "inspect", svc.Name).CombinedOutput()
		if err != nil {
			t.Fatalf("docker service inspect %s: %v\n%s", svc.Name, err, out)
		}
		checkLockedDown(t, svc.Name, out, false)
	}
	st.forceUpdate(rep, "node-7001") // a new task (new address) rejoins over TLS
}

// checkLockedDown checks a node service's `docker service inspect` shows
// it locked down as node containers are (stackplan.NodeLock): every
// capability dropped, a read-only root, a pids limit, and with limits
// --memory 256m and --cpus 0.5. Other services are not looked at.
func checkLockedDown(t *testing.T, name string, inspect []byte, limits bool) {
	t.Helper()
	var svcs []struct {
		Spec struct {
			TaskTemplate struct {
				ContainerSpec struct {
					CapabilityDrop []string
					ReadOnly       bool
					Command        []string
				}
				Resources struct {
					Limits struct{ Pids, MemoryBytes, NanoCPUs int64 }
				}
			}
		}
	}
	if err := json.Unmarshal(inspect, &svcs); err != nil || len(svcs) != 1 {
		t.Fatalf("docker service inspect %s: %v", name, err)
	}
	ts := svcs[0].Spec.TaskTemplate
	if !slices.Contains(ts.ContainerSpec.Command, "node") {
		return
	}
	if !slices.Equal(ts.ContainerSpec.CapabilityDrop, []string{"ALL"}) || !ts.ContainerSpec.ReadOnly || ts.Resources.Limits.Pids != docker.PidsLimit {
		t.Errorf("%s is not locked down: CapabilityDrop %v, ReadOnly %v, Pids %d", name,
			ts.ContainerSpec.CapabilityDrop, ts.ContainerSpec.ReadOnly, ts.Resources.Limits.Pids)
	}
	if limits && (ts.Resources.Limits.MemoryBytes != 256<<20 || ts.Resources.Limits.NanoCPUs != 5e8) {
		t.Errorf("%s: memory %d, nano CPUs %d; want 256 MiB and 0.5 CPUs", name, ts.Resources.Limits.MemoryBytes, ts.Resources.Limits.NanoCPUs)
	}
}
