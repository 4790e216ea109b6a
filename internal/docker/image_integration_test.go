package docker_test

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/go-connections/nat"
	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

const hostRedis = "/usr/bin/redis-server"

// TestIntegrationImageBuild builds the scratch node image from the host's
// redis-server, checks its size and user, and runs a node from it with a
// password set in a redis.conf copied in before start.
func TestIntegrationImageBuild(t *testing.T) {
	c := testutil.Docker(t)
	if _, err := os.Stat(hostRedis); err != nil {
		t.Skipf("%s not installed", hostRedis)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ref := buildImage(ctx, t, c)

	info, err := c.ImageInspect(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes, user %q", ref, info.Size, info.User)
	if info.Size >= 25_000_000 {
		t.Errorf("image size %d bytes, want < 25 MB", info.Size)
	}
	if u := info.User; u == "" || u == "root" || u == "0" || strings.HasPrefix(u, "0:") {
		t.Errorf("image user %q, want an unprivileged user", u)
	}
	if info.Labels[docker.LabelVersion] == "" {
		t.Errorf("labels %v lack %s", info.Labels, docker.LabelVersion)
	}
	if ok, err := c.ImageExists(ctx, images.Repo+":no-such-tag"); ok || err != nil {
		t.Errorf("ImageExists(no-such-tag) = %v, %v", ok, err)
	}
	port := runNode(ctx, t, c, ref, "requirepass s3cret\n")
	checkPassword(ctx, t, port, "s3cret")
}

func buildImage(ctx context.Context, t *testing.T, c *docker.Client) string {
	t.Helper()
	node := testutil.NodeBinary(ctx, t)
	if st, err := os.Stat(node); err == nil {
		t.Logf("node binary: %d bytes", st.Size())
	}
	bc, err := images.NewContext(images.Options{RedisBinary: hostRedis, NodeBinary: node})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.BuildImage(ctx, bc, status.Discard()); err != nil {
		t.Fatal(err)
	}
	return bc.Tags[0]
}

// runNode starts a container of ref with conf as its redis.conf, its port
// published on loopback, and removes it when the test ends.
func runNode(ctx context.Context, t *testing.T, c *docker.Client, ref, conf string) int {
	t.Helper()
	api := docker.SDKForTest(c)
	name, port := testutil.UniqueName("img"), testutil.FreePortRange(t, 1)
	created, err := api.ContainerCreate(ctx,
		&container.Config{Image: ref, Labels: map[string]string{docker.LabelCluster: name},
			ExposedPorts: nat.PortSet{"6379/tcp": {}}},
		&container.HostConfig{PortBindings: nat.PortMap{"6379/tcp": {{HostIP: "127.0.0.1", HostPort: strconv.Itoa(port)}}}},
		nil, nil, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			logs(t, c, created.ID)
		}
		err := api.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
		if err != nil {
			t.Errorf("failed to remove container %s: %v", name, err)
		}
	})
	content := tarFile(t, "redis.conf", "port 6379\nbind 0.0.0.0\nsave \"\"\n"+conf)
	if err := api.CopyToContainer(ctx, created.ID, images.ConfigDir, content, container.CopyToContainerOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := api.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	return port
}

func tarFile(t *testing.T, name, content string) io.Reader {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: int64(len(content)), Uid: images.UID, Gid: images.GID}
	if err := tw.WriteHeader(hdr); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte(content))
	tw.Close()
	return &b
}

// checkPassword waits for PONG with the password and expects NOAUTH without.
func checkPassword(ctx context.Context, t *testing.T, port int, password string) {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	auth := redis.NewClient(&redis.Options{Addr: addr, Password: password, MaxRetries: -1})
	defer auth.Close()
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var pong string
		if pong, err = auth.Ping(ctx).Result(); err == nil {
			if pong != "PONG" {
				t.Fatalf("PING = %q", pong)
			}
			break
		}
	}
	if err != nil {
		t.Fatalf("no PONG from %s with the password: %v", addr, err)
	}
	anon := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer anon.Close()
	if err := anon.Ping(ctx).Err(); err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Errorf("PING without password: %v, want NOAUTH", err)
	}
}

func logs(t *testing.T, c *docker.Client, id string) {
	r, err := docker.SDKForTest(c).ContainerLogs(context.Background(), id, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	t.Logf("container logs:\n%s", b)
}
