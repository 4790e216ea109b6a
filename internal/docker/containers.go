package docker

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/netip"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/volume"
)

// Container is what redis-dock needs to know of one node container.
type Container struct {
	ID      string
	Name    string
	State   string // running, exited, created, ...
	Labels  map[string]string
	Port    int
	Index   int
	Role    string
	Network string // network mode or the cluster network's name
	ImageID string
}

// Running reports whether the container is up.
func (c Container) Running() bool { return c.State == "running" }

// HostNetwork reports whether the container runs on the host's network.
func (c Container) HostNetwork() bool { return container.NetworkMode(c.Network).IsHost() }

// DefaultNetwork reports whether the container's network mode names no
// network of its own (Docker's default bridge): its real network is
// found elsewhere, as for the containers of a compose file.
func (c Container) DefaultNetwork() bool {
	m := container.NetworkMode(c.Network)
	return m == "" || m.IsDefault() || m.IsBridge()
}

// File is one file to copy into a container before it starts.
type File struct {
	Path string
	Mode int64
	UID  int
	GID  int
	Data []byte
}

func isNotFound(err error) bool { return errdefs.IsNotFound(err) }

// IsNotFound reports an error about something the engine does not have
// (a container, or a file ReadFile was asked for).
func IsNotFound(err error) bool { return isNotFound(err) }

// List returns the node containers of a cluster ("" for every cluster),
// sorted by their index label; a run's lock (see Lock) is not a node.
func (c *Client) List(ctx context.Context, cluster string) ([]Container, error) {
	all, err := c.listBy(ctx, clusterFilter(cluster))
	return slices.DeleteFunc(all, func(ct Container) bool { return ct.Role == RoleLock }), err
}

// listBy returns the containers that match f, sorted as List sorts.
func (c *Client) listBy(ctx context.Context, f filters.Args) ([]Container, error) {
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("failed to list containers: %w", err)
	}
	out := make([]Container, 0, len(list))
	for _, s := range list {
		ct := Container{ID: s.ID, State: s.State, Labels: s.Labels, Role: s.Labels[LabelRole], Network: s.HostConfig.NetworkMode, ImageID: s.ImageID}
		if len(s.Names) > 0 {
			ct.Name = strings.TrimPrefix(s.Names[0], "/")
		}
		ct.Port, _ = strconv.Atoi(s.Labels[LabelPort])
		ct.Index, _ = strconv.Atoi(s.Labels[LabelIndex])
		out = append(out, ct)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Labels[LabelCluster] != out[j].Labels[LabelCluster] {
			return out[i].Labels[LabelCluster] < out[j].Labels[LabelCluster]
		}
		return out[i].Index < out[j].Index
	})
	return out, nil
}

// ContainerLabels returns a container's labels by name; found is false
// when no container has that name.
func (c *Client) ContainerLabels(ctx context.Context, name string) (labels map[string]string, found bool, err error) {
	info, err := c.api.ContainerInspect(ctx, name)
	if err != nil {
		if isNotFound(err) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("failed to inspect container %q: %w", name, err)
	}
	return info.Config.Labels, true, nil
}

// CreateVolume creates a labelled named volume (a no-op when it exists)
// and reports whether this call created it.
func (c *Client) CreateVolume(ctx context.Context, name string, labels map[string]string) (created bool, err error) {
	if _, err := c.api.VolumeInspect(ctx, name); err == nil {
		return false, nil
	} else if !isNotFound(err) {
		return false, fmt.Errorf("failed to inspect volume %q: %w", name, err)
	}
	dctx, cancel := detached(ctx)
	defer cancel()
	if _, err := c.api.VolumeCreate(dctx, volume.CreateOptions{Name: name, Labels: labels}); err != nil {
		return false, fmt.Errorf("failed to create volume %q: %w", name, err)
	}
	return true, ctx.Err()
}

// CreateNode creates a container, copies files into it and starts it. It
// returns the container's ID whenever the container was created, even
// with an error (a cancelled ctx included): the caller can remove it.
func (c *Client) CreateNode(ctx context.Context, n NodeSpec, files []File) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	cfg, host, net := ContainerConfig(n)
	dctx, cancel := detached(ctx)
	created, err := c.api.ContainerCreate(dctx, cfg, host, net, nil, n.Name)
	cancel()
	if err != nil {
		return "", fmt.Errorf("failed to create container %q: %w", n.Name, err)
	}
	if err := ctx.Err(); err != nil {
		return created.ID, err
	}
	if len(files) > 0 {
		for _, group := range byDir(files, ConfigDir, PrivateDir) {
			root, tarball, err := tarFiles(group)
			if err != nil {
				return created.ID, err
			}
			if err := c.api.CopyToContainer(ctx, created.ID, root, bytes.NewReader(tarball), container.CopyToContainerOptions{}); err != nil {
				return created.ID, fmt.Errorf("failed to copy config into %q: %w", n.Name, err)
			}
		}
	}
	if err := c.api.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		return created.ID, fmt.Errorf("failed to start container %q: %w", n.Name, err)
	}
	return created.ID, nil
}

// tarFiles packs files for CopyToContainer at root, the deepest
// directory that holds them all: the engine copies into a read-only
// container only when that directory is on a volume (the config
// directory), so names in the archive are relative to it.
func tarFiles(files []File) (root string, tarball []byte, err error) {
	return tarFilesAt(copyRoot(files), files)
}

// tarFilesAt packs files with names relative to root.
func tarFilesAt(root string, files []File) (string, []byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	now := time.Now()
	for _, f := range files {
		dir := strings.TrimPrefix(strings.TrimPrefix(path.Dir(f.Path), root), "/")
		if dir != "" && !dirs[dir] {
			dirs[dir] = true
			hdr := &tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o750, Uid: f.UID, Gid: f.GID, ModTime: now}
			if err := tw.WriteHeader(hdr); err != nil {
				return "", nil, err
			}
		}
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: strings.TrimPrefix(strings.TrimPrefix(f.Path, root), "/"), Mode: f.Mode, Uid: f.UID, Gid: f.GID, Size: int64(len(f.Data)), ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return "", nil, err
		}
		if _, err := tw.Write(f.Data); err != nil {
			return "", nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return "", nil, fmt.Errorf("failed to pack files: %w", err)
	}
	return root, buf.Bytes(), nil
}

// byDir groups files by the first of dirs that holds them (the others
// last), keeping their order: each group is copied at its own volume.
func byDir(files []File, dirs ...string) [][]File {
	groups := make([][]File, len(dirs)+1)
	for _, f := range files {
		i := len(dirs)
		for j, d := range dirs {
			if strings.HasPrefix(f.Path, d+"/") {
				i = j
				break
			}
		}
		groups[i] = append(groups[i], f)
	}
	var out [][]File
	for _, g := range groups {
		if len(g) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// copyRoot is the deepest directory holding every file ("/" for none).
func copyRoot(files []File) string {
	if len(files) == 0 {
		return "/"
	}
	root := path.Dir(files[0].Path)
	for _, f := range files[1:] {
		for root != "/" && !strings.HasPrefix(f.Path, root+"/") {
			root = path.Dir(root)
		}
	}
	return root
}

// ReadFile reads one file out of a container (running or not).
func (c *Client) ReadFile(ctx context.Context, id, file string) ([]byte, error) {
	rc, _, err := c.api.CopyFromContainer(ctx, id, file)
	if err != nil {
		return nil, fmt.Errorf("failed to read %s from %s: %w", file, id, err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if err != nil {
			return nil, fmt.Errorf("failed to read %s from %s: %w", file, id, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			return io.ReadAll(tr)
		}
	}
}

// FileInfo returns a file's permission bits and owner in a container.
func (c *Client) FileInfo(ctx context.Context, id, file string) (mode int64, uid, gid int, err error) {
	rc, _, err := c.api.CopyFromContainer(ctx, id, file)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("failed to read %s from %s: %w", file, id, err)
	}
	defer rc.Close()
	hdr, err := tar.NewReader(rc).Next()
	if err != nil {
		return 0, 0, 0, fmt.Errorf("failed to read %s from %s: %w", file, id, err)
	}
	return hdr.Mode & 0o7777, hdr.Uid, hdr.Gid, nil
}

// IP returns a container's address on the named network.
func (c *Client) IP(ctx context.Context, id, networkName string) (netip.Addr, error) {
	info, err := c.api.ContainerInspect(ctx, id)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("failed to inspect container %s: %w", id, err)
	}
	if info.NetworkSettings == nil || info.NetworkSettings.Networks[networkName] == nil {
		return netip.Addr{}, fmt.Errorf("container %s is not on network %q", id, networkName)
	}
	ip, err := netip.ParseAddr(info.NetworkSettings.Networks[networkName].IPAddress)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("container %s has no address on %q yet", id, networkName)
	}
	return ip, nil
}
