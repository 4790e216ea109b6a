package docker

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/pkg/jsonmessage"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/status"
)

// ImageInfo is what redis-dock reads from an image.
type ImageInfo struct {
	ID     string
	Size   int64
	User   string
	Labels map[string]string
	Env    []string
}

// BuildImage builds the context with the classic builder (API 1.41 engines
// have no BuildKit session here), logging the build output at -v 1.
func (c *Client) BuildImage(ctx context.Context, bc *images.BuildContext, log *status.Logger) error {
	resp, err := c.api.ImageBuild(ctx, bytes.NewReader(bc.Tar), build.ImageBuildOptions{
		Tags:        bc.Tags,
		Labels:      bc.Labels,
		Dockerfile:  "Dockerfile",
		Remove:      true,
		ForceRemove: true,
		Version:     build.BuilderV1,
		NoCache:     bc.NoCache,
	})
	if err != nil {
		return fmt.Errorf("failed to build image %s: %w", bc.Tags[0], err)
	}
	defer resp.Body.Close()
	w := &logWriter{log: log}
	err = jsonmessage.DisplayJSONMessagesStream(resp.Body, w, 0, false, nil)
	w.flush()
	if err != nil {
		return fmt.Errorf("failed to build image %s: %w", bc.Tags[0], err)
	}
	return nil
}

// ImageExists reports whether ref is present locally.
func (c *Client) ImageExists(ctx context.Context, ref string) (bool, error) {
	_, err := c.api.ImageInspect(ctx, ref)
	if cerrdefs.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("failed to inspect image %s: %w", ref, err)
	}
	return true, nil
}

// ImageInspect returns the local image ref's ID, size, user and labels.
func (c *Client) ImageInspect(ctx context.Context, ref string) (ImageInfo, error) {
	res, err := c.api.ImageInspect(ctx, ref)
	if err != nil {
		return ImageInfo{}, fmt.Errorf("failed to inspect image %s: %w", ref, err)
	}
	info := ImageInfo{ID: res.ID, Size: res.Size}
	if res.Config != nil {
		info.User, info.Labels, info.Env = res.Config.User, res.Config.Labels, res.Config.Env
	}
	return info, nil
}

// logWriter turns the build's output into log lines at verbosity 1.
type logWriter struct {
	log *status.Logger
	buf bytes.Buffer
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err == io.EOF {
			w.buf.WriteString(line) // incomplete: keep for the next write
			return len(p), nil
		}
		w.logLine(line)
	}
}

func (w *logWriter) flush() {
	sc := bufio.NewScanner(&w.buf)
	for sc.Scan() {
		w.logLine(sc.Text())
	}
}

func (w *logWriter) logLine(line string) {
	line = strings.TrimRight(line, "\r\n")
	if line != "" {
		w.log.V(1, "   %s", line)
	}
}
