// Package lab is `redis-dock lab`: several Docker Swarm hosts as
// containers on one machine, each running its own Docker engine (the
// machine's dockerd, containerd and runc, through a read-only /usr), so
// that Swarm placement, a lost host and a returning host can be rehearsed
// and tested on a laptop. The engines listen on unix sockets in
// directories only root can read; nothing listens on a network address.
package lab

import (
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
)

// Limits of --hosts.
const (
	MaxHosts     = 9
	DefaultHosts = 3
)

// RunDir holds one directory per lab and host with the inner engine's
// socket; mode 0700, so only root reaches the engines.
var RunDir = "/run/redis-dock/lab"

// RootfsImage is the imported root filesystem lab hosts run from.
const RootfsImage = "redis-dock/lab-host:latest"

// RoleHost is the role label of a lab host container.
const RoleHost = "lab-host"

// Config is the lab to make.
type Config struct {
	Name     string
	Hosts    int    // 1..9
	Managers int    // swarm managers among them: 1 or 3 (when Hosts >= 3)
	Image    string // the node image loaded into every host
}

// Options are how to run a command.
type Options struct {
	Docker *docker.Client // the outer engine
	Logger *status.Logger
	Retain bool // keep what a failed Up made
}

func (o Options) log() *status.Logger {
	if o.Logger == nil {
		return status.Discard()
	}
	return o.Logger
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Validate names every wrong flag and what is allowed.
func (c Config) Validate() error {
	var errs []error
	if !nameRE.MatchString(c.Name) || len(c.Name) > 30 {
		errs = append(errs, fmt.Errorf("--name %q: use 1 to 30 characters of [a-z0-9-], starting with a letter or digit", c.Name))
	}
	if c.Hosts < 1 || c.Hosts > MaxHosts {
		errs = append(errs, fmt.Errorf("--hosts %d: allowed are 1 to %d", c.Hosts, MaxHosts))
	}
	if c.Managers != 1 && c.Managers != 3 {
		errs = append(errs, fmt.Errorf("--managers %d: allowed are 1 or 3", c.Managers))
	} else if c.Managers > c.Hosts && c.Hosts >= 1 {
		errs = append(errs, fmt.Errorf("--managers %d: more managers than --hosts %d", c.Managers, c.Hosts))
	}
	if c.Image == "" {
		errs = append(errs, errors.New("--image: must name a node image"))
	}
	return errors.Join(errs...)
}

// ClusterLabel is the redis-dock.cluster value on everything of lab name,
// so that what finds clusters' things finds the lab's too.
func ClusterLabel(name string) string { return "lab-" + name }

// HostName is the container name and hostname of host i (1-based).
func HostName(lab string, i int) string { return fmt.Sprintf("%s-h%d", lab, i) }

// NetworkName is the lab's own bridge network.
func NetworkName(lab string) string { return "redis-dock-lab-" + lab }

// SocketDir is where host's engine socket appears on this machine.
func SocketDir(lab, host string) string { return filepath.Join(RunDir, lab, host) }

// DockerHost is the DOCKER_HOST value that reaches host's engine.
func DockerHost(lab, host string) string {
	return "unix://" + filepath.Join(SocketDir(lab, host), "docker.sock")
}

// ResolveHost accepts a host's full name (lab-h2) or its short one (h2).
func ResolveHost(lab, host string) string {
	if strings.HasPrefix(host, lab+"-") {
		return host
	}
	return lab + "-" + host
}

// hostIP is host i's fixed address: .2, .3, ... of the lab subnet, so a
// host that restarts keeps the address its swarm knows it by.
func hostIP(subnet netip.Prefix, i int) netip.Addr {
	a := subnet.Masked().Addr().As4()
	a[3] = byte(1 + i)
	return netip.AddrFrom4(a)
}

// labels are what every container, volume and the network of a lab carry.
func labels(lab, host string) map[string]string {
	l := map[string]string{docker.LabelLab: lab, docker.LabelCluster: ClusterLabel(lab), docker.LabelRole: RoleHost}
	if host != "" {
		l[docker.LabelLabHost] = host
	}
	return l
}

// hostLabels adds the index label that sorts the hosts.
func hostLabels(lab, host string, i int) map[string]string {
	l := labels(lab, host)
	l[docker.LabelIndex] = strconv.Itoa(i)
	return l
}

// engineCmd runs the machine's dockerd with vfs storage (overlay does not
// nest), its pid file and exec root on the tmpfs /run (a stale pid file in
// the writable layer would stop a restarted host), listening on the
// default socket (for `docker exec HOST docker ...`) and on /run/lab,
// which is the directory on this machine that SocketDir names.
func engineCmd(lab string) []string {
	return []string{"dockerd", "--storage-driver", "vfs",
		"-H", "unix:///run/docker.sock", "-H", "unix:///run/lab/docker.sock",
		"--pidfile", "/run/docker.pid", "--exec-root", "/run/docker-exec",
		"--cgroup-parent", cgroupParent(lab)}
}

var hostEnv = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
