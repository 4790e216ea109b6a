package docker

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
)

// Labels of `redis-dock lab`: the lab a host belongs to and its name.
const (
	LabelLab     = "redis-dock.lab"
	LabelLabHost = "redis-dock.lab-host"
)

// NewAt connects to the engine at host (unix:///path or tcp://127.0.0.1:port),
// such as a lab host's inner engine.
func NewAt(host string) (*Client, error) {
	api, err := client.NewClientWithOpts(client.WithHost(host), client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("failed to create docker client for %s: %w", host, err)
	}
	return &Client{api: api}, nil
}

// ImportImage imports a root filesystem tar as image ref (docker import).
func (c *Client) ImportImage(ctx context.Context, ref string, rootfs []byte, changes []string) error {
	rc, err := c.api.ImageImport(ctx, image.ImportSource{Source: bytes.NewReader(rootfs), SourceName: "-"}, ref, image.ImportOptions{Changes: changes})
	if err != nil {
		return fmt.Errorf("failed to import image %s: %w", ref, err)
	}
	defer rc.Close()
	if _, err := io.Copy(io.Discard, rc); err != nil {
		return fmt.Errorf("failed to import image %s: %w", ref, err)
	}
	return nil
}

// SaveImage returns ref as a `docker save` tar.
func (c *Client) SaveImage(ctx context.Context, ref string) ([]byte, error) {
	rc, err := c.api.ImageSave(ctx, []string{ref})
	if err != nil {
		return nil, fmt.Errorf("failed to save image %s: %w", ref, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("failed to save image %s: %w", ref, err)
	}
	return b, nil
}

// LoadImage loads a `docker save` tar (docker load).
func (c *Client) LoadImage(ctx context.Context, tarball []byte) error {
	resp, err := c.api.ImageLoad(ctx, bytes.NewReader(tarball), client.ImageLoadWithQuiet(true))
	if err != nil {
		return fmt.Errorf("failed to load image: %w", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("failed to load image: %w", err)
	}
	if bytes.Contains(out, []byte(`"error"`)) {
		return fmt.Errorf("failed to load image: %s", strings.TrimSpace(string(out)))
	}
	return nil
}

// LabHost is one lab host: a container running its own Docker engine.
type LabHost struct {
	Name      string
	Image     string // the imported rootfs
	Cmd       []string
	Env       []string
	Labels    map[string]string
	Network   string
	IP        netip.Addr
	Volume    string // the inner engine's /var/lib/docker
	SocketDir string // a host directory mounted at /run/lab: the inner engine's socket
	Usr       string // the host directory mounted read-only at /usr
}

// LabHostConfig turns a LabHost into the SDK's config structs: every
// capability but CAP_SYS_RESOURCE (which the engine cannot grant, so
// --privileged fails), no seccomp or AppArmor profile, the cgroup tree,
// and tmpfs /run and /tmp so a restarted engine finds no stale pid file.
func LabHostConfig(h LabHost) (*container.Config, *container.HostConfig, *network.NetworkingConfig) {
	cfg := &container.Config{Hostname: h.Name, Image: h.Image, Cmd: h.Cmd, Env: h.Env, Labels: h.Labels}
	host := &container.HostConfig{
		NetworkMode: container.NetworkMode(h.Network),
		CapAdd:      []string{"ALL"},
		CapDrop:     []string{"SYS_RESOURCE"},
		SecurityOpt: []string{"seccomp=unconfined", "apparmor=unconfined"},
		Tmpfs:       map[string]string{"/run": "", "/tmp": ""},
		Init:        boolPtr(false),
		LogConfig:   container.LogConfig{Type: "json-file", Config: map[string]string{"max-size": "10m", "max-file": "2"}},
		Mounts: []mount.Mount{
			{Type: mount.TypeBind, Source: h.Usr, Target: "/usr", ReadOnly: true},
			{Type: mount.TypeBind, Source: "/sys/fs/cgroup", Target: "/sys/fs/cgroup"},
			{Type: mount.TypeBind, Source: h.SocketDir, Target: "/run/lab"},
			{Type: mount.TypeVolume, Source: h.Volume, Target: "/var/lib/docker"},
		},
	}
	netCfg := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
		h.Network: {IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: h.IP.String()}},
	}}
	return cfg, host, netCfg
}

// CreateLabHost creates (not starts) a lab host container.
func (c *Client) CreateLabHost(ctx context.Context, h LabHost) (string, error) {
	cfg, host, netCfg := LabHostConfig(h)
	resp, err := c.api.ContainerCreate(ctx, cfg, host, netCfg, nil, h.Name)
	if err != nil {
		return "", fmt.Errorf("failed to create lab host %q: %w", h.Name, err)
	}
	return resp.ID, nil
}

// LabHosts lists the host containers of lab name ("" for every lab),
// sorted by their index label.
func (c *Client) LabHosts(ctx context.Context, lab string) ([]Container, error) {
	f := labFilter(lab)
	return c.listBy(ctx, f)
}

// LastLog returns the last n lines a container printed, for errors.
func (c *Client) LastLog(ctx context.Context, id string, n int) string {
	rc, err := c.api.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true, Tail: fmt.Sprint(n)})
	if err != nil {
		return ""
	}
	defer rc.Close()
	r, err := demux(rc)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(r.Stdout) + string(r.Stderr))
}

// IsRunning reports whether container id is running.
func (c *Client) IsRunning(ctx context.Context, id string) (bool, error) {
	info, err := c.api.ContainerInspect(ctx, id)
	if err != nil {
		return false, fmt.Errorf("failed to inspect container %s: %w", id, err)
	}
	return info.State != nil && info.State.Running, nil
}
