package swarm

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/golden"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

const testPassword = "Sw4rm-s3cret-do-not-leak"

func testPlan(t *testing.T, masters, replicas int) *stackplan.Plan {
	t.Helper()
	s := spec.Default()
	s.Name, s.Masters, s.Replicas, s.NodeTimeout, s.Password, s.Image = "demo", masters, replicas, 3000, testPassword, spec.DefaultImage
	p, err := stackplan.New(s, netip.MustParsePrefix("10.214.7.0/24"), false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRenderGolden(t *testing.T) {
	files := Files{Dir: "/srv/demo-stack", Password: "/srv/demo-stack/password"}
	tests := []struct {
		golden    string
		replicas  int
		placement Placement
	}{
		{"stack-3x1", 1, Placement{}},
		{"stack-3x1-placement", 1, Placement{Key: "node.hostname", Hosts: []string{"sw1", "sw2", "sw3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			got, err := Render(testPlan(t, 3, tt.replicas), files, tt.placement)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", tt.golden+".golden"), got)
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}

// writeAndRender writes a 3x1 plan's files into dir and renders its
// stack file, as stack render does.
func writeAndRender(t *testing.T, dir string) (*stackplan.Plan, Files, []byte) {
	t.Helper()
	p := testPlan(t, 3, 1)
	files, err := WriteFiles(p, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	yml, err := Render(p, files, Placement{})
	if err != nil {
		t.Fatal(err)
	}
	return p, files, yml
}

// load reads a rendered stack file back with compose-go's loader.
func load(t *testing.T, dir string, yml []byte) *types.Project {
	t.Helper()
	return testutil.LoadProject(t, dir, "stack.yml", yml, "demo")
}

// TestRenderLoadsBack writes the files, renders the stack and loads it
// back with compose-go: every node is its own service on the overlay
// with its config and the password secret, readable by the redis user.
func TestRenderLoadsBack(t *testing.T) {
	dir := t.TempDir()
	p, files, yml := writeAndRender(t, dir)
	pr := load(t, dir, yml)
	if len(pr.Services) != 7 {
		t.Fatalf("%d services, want 6 nodes and the bootstrap: %v", len(pr.Services), pr.ServiceNames())
	}
	net := pr.Networks[stackplan.NetworkKey]
	if net.Driver != "overlay" || !net.Attachable || net.Ipam.Config[0].Subnet != "10.214.7.0/24" || net.Labels[docker.LabelCluster] != "demo" {
		t.Errorf("network %+v", net)
	}
	for _, n := range p.Nodes {
		svc, ok := pr.Services[n.Service]
		if !ok {
			t.Fatalf("no service %s", n.Service)
		}
		checkNodeService(t, svc, n, files)
		cfg := pr.Configs[ConfigFile(n.Port)]
		if b, err := os.ReadFile(cfg.File); err != nil || !bytes.Equal(b, n.Conf) {
			t.Errorf("config %s: file %s holds %q (%v)", n.Service, cfg.File, b, err)
		}
	}
	bs := pr.Services[stackplan.BootstrapService]
	if bs.Deploy.RestartPolicy.Condition != "on-failure" || bs.Command[1] != "bootstrap" {
		t.Errorf("bootstrap: restart %+v, command %v", bs.Deploy.RestartPolicy, bs.Command)
	}
	if pr.Secrets[stackplan.PasswordSecret].File != files.Password {
		t.Errorf("secret file %s, want %s", pr.Secrets[stackplan.PasswordSecret].File, files.Password)
	}
}

func checkNodeService(t *testing.T, svc types.ServiceConfig, n stackplan.Node, files Files) {
	t.Helper()
	if svc.Deploy.EndpointMode != "dnsrr" || *svc.Deploy.Replicas != 1 || svc.Deploy.RestartPolicy.Condition != "any" {
		t.Errorf("%s: deploy %+v", n.Service, svc.Deploy)
	}
	for _, l := range []types.Labels{svc.Labels, svc.Deploy.Labels} {
		if l[docker.LabelCluster] != "demo" || l[docker.LabelRole] != n.Role || l[docker.LabelPort] != itoa(n.Port) {
			t.Errorf("%s: labels %v", n.Service, l)
		}
	}
	if len(svc.Configs) != 1 || svc.Configs[0].Target != stackplan.ConfigPath || svc.Configs[0].UID != "999" || *svc.Configs[0].Mode != 0o440 {
		t.Errorf("%s: configs %+v", n.Service, svc.Configs)
	}
	if len(svc.Secrets) != 1 || svc.Secrets[0].Source != stackplan.PasswordSecret || svc.Secrets[0].UID != "999" || *svc.Secrets[0].Mode != 0o400 {
		t.Errorf("%s: secrets %+v", n.Service, svc.Secrets)
	}
	if len(svc.Volumes) != 2 || svc.Volumes[0].Target != "/data" || svc.Volumes[0].Type != "volume" ||
		svc.Volumes[1].Type != "tmpfs" || svc.Volumes[1].Target != "/tmp" {
		t.Errorf("%s: volumes %+v, want the data volume and a tmpfs at /tmp", n.Service, svc.Volumes)
	}
	if !svc.ReadOnly || len(svc.CapDrop) != 1 || svc.CapDrop[0] != "ALL" || svc.Deploy.Resources.Limits == nil || svc.Deploy.Resources.Limits.Pids != 256 {
		t.Errorf("%s: read_only %v, cap_drop %v, limits %+v: want the node locked down", n.Service, svc.ReadOnly, svc.CapDrop, svc.Deploy.Resources.Limits)
	}
	cmd := strings.Join(svc.Command, " ")
	if !strings.Contains(cmd, "redis-dock node") || !strings.Contains(cmd, "--subnet 10.214.7.0/24") {
		t.Errorf("%s: command %s", n.Service, cmd)
	}
}

// TestRenderHoldsNoPassword checks the password is nowhere in the stack
// file, the configs or the environment: only in the secret's file.
func TestRenderHoldsNoPassword(t *testing.T) {
	dir := t.TempDir()
	p, files, yml := writeAndRender(t, dir)
	if bytes.Contains(yml, []byte(testPassword)) {
		t.Fatal("the stack file contains the password")
	}
	for _, n := range p.Nodes {
		if bytes.Contains(n.Conf, []byte(testPassword)) {
			t.Errorf("config of %s contains the password", n.Service)
		}
	}
	for name, svc := range load(t, dir, yml).Services {
		if len(svc.Environment) > 0 {
			t.Errorf("%s has an environment %v", name, svc.Environment)
		}
	}
	st, err := os.Stat(files.Password)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("password file %s: %v, mode %v; want 0600", files.Password, err, st.Mode())
	}
	if b, _ := os.ReadFile(files.Password); string(b) != testPassword+"\n" {
		t.Errorf("password file holds %q", b)
	}
}

// TestPlacement spreads nodes over Swarm nodes with every replica on
// another Swarm node than its master (given enough Swarm nodes for a
// master and its replicas), and renders nothing for one node.
func TestPlacement(t *testing.T) {
	p := testPlan(t, 3, 2)
	for _, hosts := range [][]string{{"a", "b", "c"}, {"a", "b", "c", "d"}, {"a", "b", "c", "d", "e"}} {
		pl := Placement{Key: "node.id", Hosts: hosts}
		at := map[int]string{}
		for i, h := range pl.hosts(p) {
			at[p.Nodes[i].Index] = h
		}
		for _, n := range p.Nodes {
			if n.Master >= 0 && at[n.Index] == at[n.Master] {
				t.Errorf("%d hosts: replica %d shares %s with its master %d", len(hosts), n.Index, at[n.Index], n.Master)
			}
		}
	}
	if h := (Placement{Key: "node.id", Hosts: []string{"only"}}).hosts(p)[0]; h != "" {
		t.Errorf("one Swarm node: constraint %q, want none", h)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestOverlayNetworkName: the overlay mode names the network the stack
// file's key makes (docker stack deploy's <stack>_<key>).
func TestOverlayNetworkName(t *testing.T) {
	if got, want := networkName("demo"), "demo_"+stackplan.NetworkKey; got != want {
		t.Errorf("networkName = %q, want %q", got, want)
	}
}
