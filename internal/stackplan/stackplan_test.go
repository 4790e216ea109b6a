package stackplan

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/templates"
)

func TestDefaultSubnets(t *testing.T) {
	a, b := DefaultSubnet("shop"), DefaultSubnet("shop")
	if a != b || !netip.MustParsePrefix("10.214.0.0/16").Contains(a.Addr()) || a.Bits() != 24 {
		t.Errorf("DefaultSubnet(shop) = %v, %v", a, b)
	}
	if c := DefaultBridgeSubnet("shop"); !netip.MustParsePrefix("10.215.0.0/16").Contains(c.Addr()) || c.Addr().As4()[2] != a.Addr().As4()[2] {
		t.Errorf("DefaultBridgeSubnet(shop) = %v", c)
	}
}

// TestNewBaseConfigs checks the base configs hold no password and no
// announce address (the node adds both at start), and the endpoint mode.
func TestNewBaseConfigs(t *testing.T) {
	s := spec.Default()
	s.Password = "pw-not-in-configs"
	for _, hostname := range []bool{false, true} {
		p, err := New(s, netip.MustParsePrefix("10.214.3.0/24"), hostname)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range p.Nodes {
			for _, d := range []string{"requirepass", "masterauth", "cluster-announce-ip"} {
				if _, ok := templates.Directive(n.Conf, d); ok {
					t.Errorf("%s: base config sets %s", n.Service, d)
				}
			}
			if got, _ := templates.Directive(n.Conf, "cluster-announce-hostname"); (len(got) == 1) != hostname {
				t.Errorf("%s (hostname %v): cluster-announce-hostname %v", n.Service, hostname, got)
			}
			if strings.Contains(string(n.Conf), s.Password) {
				t.Errorf("%s: the config holds the password", n.Service)
			}
		}
	}
}

func TestNewRefuses(t *testing.T) {
	s := spec.Default()
	if _, err := New(s, netip.MustParsePrefix("10.214.3.0/25"), false); err == nil || !strings.Contains(err.Error(), "--subnet") {
		t.Errorf("/25: err = %v", err)
	}
}

func TestCommands(t *testing.T) {
	s := spec.Default()
	s.Name, s.Port, s.BusPort = "shop", 7100, 20000
	p, err := New(s, netip.MustParsePrefix("10.214.3.0/24"), false)
	if err != nil {
		t.Fatal(err)
	}
	node := strings.Join(p.NodeCommand(), " ")
	for _, want := range []string{"redis-dock node", "--subnet 10.214.3.0/24", "--port 7100", "--bus-port 20000", "--password-file " + SecretPath} {
		if !strings.Contains(node, want) {
			t.Errorf("node command %q lacks %q", node, want)
		}
	}
	if b := strings.Join(p.BootstrapCommand(), " "); !strings.HasPrefix(b, "redis-dock bootstrap --name shop") {
		t.Errorf("bootstrap command %q", b)
	}
}

// TestNoPasswordCommands: with --no-password no command points at a
// secret, the node is told --no-password (it refuses to run open
// otherwise), no password file is written, and protected-mode is off (the
// nodes are on a bridge, reached through loopback-published ports).
func TestNoPasswordCommands(t *testing.T) {
	s := spec.Default()
	s.Name, s.NoPassword = "open", true
	p, err := New(s, netip.MustParsePrefix("10.215.3.0/24"), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{p.NodeCommand(), p.BootstrapCommand(), p.CheckCommand()} {
		if c := strings.Join(cmd, " "); strings.Contains(c, "--password-file") {
			t.Errorf("command %q points at a password file", c)
		}
	}
	if c := strings.Join(p.NodeCommand(), " "); !strings.HasSuffix(c, " --no-password") {
		t.Errorf("node command %q lacks --no-password", c)
	}
	if c := strings.Join(p.BootstrapCommand(), " "); strings.Contains(c, "--no-password") {
		t.Errorf("bootstrap command %q takes no --no-password", c)
	}
	dir := t.TempDir()
	f, err := WriteFiles(p, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Password != "" {
		t.Errorf("files name a password file %q", f.Password)
	}
	if _, err := os.Stat(filepath.Join(dir, PasswordFile)); !os.IsNotExist(err) {
		t.Errorf("a password file was written: %v", err)
	}
	if args, _ := templates.Directive(p.Nodes[0].Conf, "protected-mode"); strings.Join(args, " ") != "no" {
		t.Errorf("protected-mode %v, want no", args)
	}
}
