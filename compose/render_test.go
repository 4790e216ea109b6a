package compose

import (
	"bytes"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/golden"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

const testPassword = "C0mpose-s3cret-do-not-leak"

func testPlan(t *testing.T) *stackplan.Plan {
	t.Helper()
	s := spec.Default()
	s.Name, s.NodeTimeout, s.Password, s.Image = "demo", 3000, testPassword, spec.DefaultImage
	p, err := stackplan.New(s, netip.MustParsePrefix("10.215.7.0/24"), true)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRenderGolden(t *testing.T) {
	got, err := renderPlan(testPlan(t), stackplan.Files{Dir: "/srv/demo-compose", Password: "/srv/demo-compose/password"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "compose-3x1.golden")
	golden.Check(t, path, got)
}

// TestRenderNoPasswordGolden: a --no-password file has no secret and
// points no command at one; the node is told --no-password, the ports
// stay on loopback, and compose-go loads it.
func TestRenderNoPasswordGolden(t *testing.T) {
	s := spec.Default()
	s.Name, s.NodeTimeout, s.NoPassword, s.Image = "open", 3000, true, spec.DefaultImage // not $REDIS_DOCK_IMAGE
	p, err := stackplan.New(s, netip.MustParsePrefix("10.215.8.0/24"), true)
	if err != nil {
		t.Fatal(err)
	}
	got, err := renderPlan(p, stackplan.Files{Dir: "/srv/open-compose"})
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "compose-3x1-no-password.golden"), got)
	dir, yml := renderInto(t, p)
	pr := testutil.LoadProject(t, dir, "docker-compose.yml", yml, "open")
	if len(pr.Secrets) != 0 {
		t.Errorf("secrets %v, want none", pr.Secrets)
	}
	for name, svc := range pr.Services {
		cmd := strings.Join(svc.Command, " ")
		if len(svc.Secrets) != 0 || strings.Contains(cmd, "--password-file") {
			t.Errorf("%s: secrets %+v, command %q", name, svc.Secrets, cmd)
		}
		for _, port := range svc.Ports {
			if port.HostIP != "127.0.0.1" {
				t.Errorf("%s: port %+v not on loopback", name, port)
			}
		}
	}
}

// TestRenderLoadsBack loads the file back with compose-go: static
// addresses in the subnet, ports published 1:1 on loopback, a read-only
// config, the secret, no environment and no password anywhere.
func TestRenderLoadsBack(t *testing.T) {
	p := testPlan(t)
	dir, yml := renderInto(t, p)
	if bytes.Contains(yml, []byte(testPassword)) {
		t.Fatal("the compose file contains the password")
	}
	pr := testutil.LoadProject(t, dir, "docker-compose.yml", yml, "demo")
	if len(pr.Services) != 7 {
		t.Fatalf("services %v", pr.ServiceNames())
	}
	for _, n := range p.Nodes {
		svc := pr.Services[n.Service]
		addr := netip.MustParseAddr(svc.Networks[stackplan.NetworkKey].Ipv4Address)
		if !p.Subnet.Contains(addr) || svc.Labels[docker.LabelPort] != itoa(n.Port) || svc.Restart != "unless-stopped" {
			t.Errorf("%s: address %s, labels %v, restart %s", n.Service, addr, svc.Labels, svc.Restart)
		}
		if len(svc.Ports) != 1 || svc.Ports[0].HostIP != "127.0.0.1" || svc.Ports[0].Published != itoa(n.Port) || svc.Ports[0].Target != uint32(n.Port) {
			t.Errorf("%s: ports %+v", n.Service, svc.Ports)
		}
		if len(svc.Volumes) != 2 || !svc.Volumes[1].ReadOnly || svc.Volumes[1].Target != stackplan.ConfigPath {
			t.Errorf("%s: volumes %+v", n.Service, svc.Volumes)
		}
		if len(svc.Secrets) != 1 || len(svc.Environment) != 0 || !strings.Contains(strings.Join(svc.Command, " "), "--subnet 10.215.7.0/24") {
			t.Errorf("%s: secrets %+v, environment %v, command %v", n.Service, svc.Secrets, svc.Environment, svc.Command)
		}
		if bytes.Contains(n.Conf, []byte(testPassword)) {
			t.Errorf("%s: its config holds the password", n.Service)
		}
	}
	if r := pr.Services[stackplan.BootstrapService].Restart; r != "on-failure" {
		t.Errorf("bootstrap restart %q", r)
	}
}

func TestShortPorts(t *testing.T) {
	in := []byte("ports:\n  - host_ip: 127.0.0.1\n    target: 7000\n    published: \"7000\"\n    protocol: tcp\n  - target: 80\n  - target: 81\n    mode: host\n")
	got, err := shortPorts(in)
	if err != nil {
		t.Fatal(err)
	}
	want := "ports:\n  - \"127.0.0.1:7000:7000/tcp\"\n  - \"80\"\n  - target: 81\n    mode: host\n"
	if string(got) != want {
		t.Errorf("shortPorts =\n%s\nwant\n%s", got, want)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// renderInto writes p's configs into a new temporary directory and
// renders the compose file that refers to them.
func renderInto(t *testing.T, p *stackplan.Plan) (dir string, yml []byte) {
	t.Helper()
	dir = t.TempDir()
	files, err := stackplan.WriteFiles(p, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if yml, err = renderPlan(p, files); err != nil {
		t.Fatal(err)
	}
	return dir, yml
}
