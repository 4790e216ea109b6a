package swarm

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationSwarmUpNoPassword: swarm up --no-password is refused,
// naming the flag, and the engine holds no service, container, network,
// volume, config or secret of the cluster before or after.
func TestIntegrationSwarmUpNoPassword(t *testing.T) {
	d := needSwarm(t)
	s := spec.Default()
	s.Name, s.NoPassword, s.Image = testutil.UniqueName("swnopw"), true, testutil.PinNodeImage(t, d)
	t.Cleanup(func() { down(t, d, s.Name) })
	before := stackObjects(t, d, s.Name)
	_, err := Up(context.Background(), s, Options{Docker: d, Logger: testLogger(t)})
	if !errors.Is(err, ErrNoPassword) || !strings.HasPrefix(err.Error(), "--no-password: ") {
		t.Fatalf("Up = %v, want ErrNoPassword, naming --no-password", err)
	}
	if after := stackObjects(t, d, s.Name); after != before || after != (objects{}) {
		t.Fatalf("the engine holds %+v of %s after the refusal (before: %+v), want nothing", after, s.Name, before)
	}
	// The witness sees what does carry the label (down removes it).
	labels := map[string]string{docker.LabelCluster: s.Name}
	if _, err := d.CreateConfig(context.Background(), s.Name+"_probe", []byte("x"), labels); err != nil {
		t.Fatal(err)
	}
	if _, err := d.CreateSecret(context.Background(), s.Name+"_probe", []byte("x"), labels); err != nil {
		t.Fatal(err)
	}
	if got := stackObjects(t, d, s.Name); got.Configs != 1 || got.Secrets != 1 {
		t.Fatalf("stackObjects sees %+v, want the probe config and secret", got)
	}
}

type objects struct {
	docker.Removed
	Services, Configs, Secrets int
}

// stackObjects counts what carries the cluster's label; it only looks.
// Configs and secrets are counted with the docker CLI, a witness apart
// from the product's client.
func stackObjects(t *testing.T, d *docker.Client, name string) objects {
	t.Helper()
	ctx := context.Background()
	var o objects
	var err error
	if o.Removed, err = d.Leftovers(ctx, name); err != nil {
		t.Fatal(err)
	}
	svc, err := d.Services(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	o.Services = len(svc)
	count := func(kind string) int {
		out, err := exec.Command(dockerCLI(t), kind, "ls", "-q", "--filter", "label="+docker.LabelCluster+"="+name).Output()
		if err != nil {
			t.Fatalf("docker %s ls: %v", kind, err)
		}
		return len(strings.Fields(string(out)))
	}
	o.Configs, o.Secrets = count("config"), count("secret")
	return o
}
