package lab

import (
	"archive/tar"
	"bytes"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/mount"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

func TestValidate(t *testing.T) {
	ok := Config{Name: "lab", Hosts: 3, Managers: 1, Image: "redis-dock/node:latest"}
	tests := []struct {
		name string
		edit func(*Config)
		want []string // "" for no error
	}{
		{"default", func(*Config) {}, nil},
		{"nine hosts, three managers", func(c *Config) { c.Hosts, c.Managers = 9, 3 }, nil},
		{"no hosts", func(c *Config) { c.Hosts = 0 }, []string{"--hosts 0", "1 to 9"}},
		{"ten hosts", func(c *Config) { c.Hosts = 10 }, []string{"--hosts 10"}},
		{"two managers", func(c *Config) { c.Managers = 2 }, []string{"--managers 2", "1 or 3"}},
		{"three managers of two hosts", func(c *Config) { c.Hosts, c.Managers = 2, 3 }, []string{"--managers 3", "--hosts 2"}},
		{"bad name", func(c *Config) { c.Name = "My_Lab" }, []string{`--name "My_Lab"`, "[a-z0-9-]"}},
		{"no image", func(c *Config) { c.Image = "" }, []string{"--image"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			testutil.ErrorNames(t, "Validate()", c.Validate(), tt.want)
		})
	}
}

func TestNames(t *testing.T) {
	if got := DockerHost("x", HostName("x", 2)); got != "unix://"+RunDir+"/x/x-h2/docker.sock" {
		t.Errorf("DockerHost = %s", got)
	}
	for _, in := range []string{"h2", "x-h2"} {
		if got := ResolveHost("x", in); got != "x-h2" {
			t.Errorf("ResolveHost(%s) = %s", in, got)
		}
	}
	if got := hostIP(netip.MustParsePrefix("10.213.7.0/24"), 3); got.String() != "10.213.7.4" {
		t.Errorf("hostIP = %s", got)
	}
	l := hostLabels("x", "x-h1", 1)
	if l[docker.LabelCluster] != "lab-x" || l[docker.LabelLab] != "x" || l[docker.LabelLabHost] != "x-h1" {
		t.Errorf("labels %v", l)
	}
}

// TestRootfs: the links into /usr, users and groups, the alternatives
// as links, and nothing else from /etc.
func TestRootfs(t *testing.T) {
	etc := t.TempDir()
	write(t, filepath.Join(etc, "passwd"), "root:x:0:0::/root:/bin/sh\n")
	write(t, filepath.Join(etc, "group"), "root:x:0:\n")
	write(t, filepath.Join(etc, "shadow"), "secret\n")
	if err := os.MkdirAll(filepath.Join(etc, "alternatives"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/usr/sbin/iptables-nft", filepath.Join(etc, "alternatives", "iptables")); err != nil {
		t.Fatal(err)
	}
	b, err := rootfs(etc)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = h.Linkname
	}
	want := map[string]string{"bin": "usr/bin", "sbin": "usr/sbin", "lib": "usr/lib", "lib64": "usr/lib64", "var/run": "../run",
		"etc/alternatives/iptables": "/usr/sbin/iptables-nft", "etc/passwd": "", "etc/group": ""}
	for name, link := range want {
		if l, ok := got[name]; !ok || l != link {
			t.Errorf("%s: got %q (present %v), want %q", name, l, ok, link)
		}
	}
	if _, ok := got["etc/shadow"]; ok {
		t.Error("the rootfs carries etc/shadow")
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostConfig: never privileged, every capability but SYS_RESOURCE,
// /usr read-only, the socket directory and the engine's disk mounted,
// tmpfs /run (a restarted host must find no stale pid file there).
func TestHostConfig(t *testing.T) {
	cfg, host, netCfg := docker.LabHostConfig(docker.LabHost{
		Name: "x-h1", Image: RootfsImage, Cmd: engineCmd("x"), Network: "n", IP: netip.MustParseAddr("10.213.7.2"),
		Volume: "x-h1-docker", SocketDir: "/run/redis-dock/lab/x/x-h1", Usr: "/usr",
	})
	if host.Privileged || !slices.Equal(host.CapAdd, []string{"ALL"}) || !slices.Equal(host.CapDrop, []string{"SYS_RESOURCE"}) {
		t.Errorf("privileges: %v %v %v", host.Privileged, host.CapAdd, host.CapDrop)
	}
	if _, ok := host.Tmpfs["/run"]; !ok {
		t.Error("/run is no tmpfs")
	}
	mounts := map[string]mount.Mount{}
	for _, m := range host.Mounts {
		mounts[m.Target] = m
	}
	if m := mounts["/usr"]; !m.ReadOnly || m.Source != "/usr" {
		t.Errorf("/usr mount %+v", m)
	}
	if mounts["/run/lab"].Source != "/run/redis-dock/lab/x/x-h1" || mounts["/var/lib/docker"].Source != "x-h1-docker" {
		t.Errorf("mounts %+v", host.Mounts)
	}
	if netCfg.EndpointsConfig["n"].IPAMConfig.IPv4Address != "10.213.7.2" || cfg.Hostname != "x-h1" {
		t.Errorf("network %+v, hostname %s", netCfg.EndpointsConfig["n"], cfg.Hostname)
	}
	cmd := strings.Join(cfg.Cmd, " ")
	for _, w := range []string{"--storage-driver vfs", "unix:///run/lab/docker.sock", "--pidfile /run/", "--exec-root /run/"} {
		if !strings.Contains(cmd, w) {
			t.Errorf("engine command %q lacks %q", cmd, w)
		}
	}
	if strings.Contains(cmd, "tcp://") {
		t.Errorf("engine command %q listens on TCP", cmd)
	}
}
