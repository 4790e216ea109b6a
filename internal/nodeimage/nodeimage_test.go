package nodeimage

import (
	"context"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	cerrdefs "github.com/containerd/errdefs"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
)

const hostRedis = "/usr/bin/redis-server"

// fakeAPI holds local images by reference; BuildImage adds its tags.
type fakeAPI struct {
	present map[string]docker.ImageInfo
	built   []*images.BuildContext
}

func (f *fakeAPI) ImageExists(_ context.Context, ref string) (bool, error) {
	_, ok := f.present[ref]
	return ok, nil
}

func (f *fakeAPI) ImageInspect(_ context.Context, ref string) (docker.ImageInfo, error) {
	info, ok := f.present[ref]
	if !ok {
		return info, cerrdefs.ErrNotFound
	}
	return info, nil
}

func (f *fakeAPI) BuildImage(_ context.Context, bc *images.BuildContext, _ *status.Logger) error {
	f.built = append(f.built, bc)
	for _, t := range bc.Tags {
		f.present[t] = docker.ImageInfo{ID: "sha256:new", Labels: bc.Labels}
	}
	return nil
}

func newFake(refs ...string) *fakeAPI {
	f := &fakeAPI{present: map[string]docker.ImageInfo{}}
	for _, r := range refs {
		f.present[r] = docker.ImageInfo{ID: "sha256:" + r}
	}
	return f
}

func TestEnsure(t *testing.T) {
	if _, err := os.Stat(hostRedis); err != nil {
		t.Skipf("%s not installed", hostRedis)
	}
	opts := images.Options{RedisBinary: hostRedis, NodeBinary: staticELF(t)}
	version, err := images.RedisVersion(hostRedis)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		present []string
		ref     string
		built   bool
		wantErr string
	}{
		{"present", []string{"redis:7.2"}, "redis:7.2", false, ""},
		{"other image missing", nil, "redis:7.2", false, "--image"},
		{"latest missing", nil, images.DefaultImage, true, ""},
		{"bare repo missing", nil, images.Repo, true, ""},
		{"version missing", nil, images.Repo + ":" + version, true, ""},
		{"other version missing", nil, images.Repo + ":6.0.0", false, "would give"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(tt.present...)
			built, err := ensure(context.Background(), f, tt.ref, opts, status.Discard())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if built != tt.built || len(f.built) != map[bool]int{false: 0, true: 1}[tt.built] {
				t.Errorf("built = %v (%d builds), want %v", built, len(f.built), tt.built)
			}
		})
	}
}

func TestEnsureMissingNodeImageHint(t *testing.T) {
	_, err := ensure(context.Background(), newFake(), "ghcr.io/x/y:1", images.Options{}, status.Discard())
	if err == nil || !strings.Contains(err.Error(), "redis-dock image build") || !strings.Contains(err.Error(), "pulled") {
		t.Errorf("err = %v", err)
	}
}

func TestBuildFromBase(t *testing.T) {
	f := newFake()
	f.present["redis:7.2"] = docker.ImageInfo{Size: 100e6, Env: []string{"PATH=/bin", "REDIS_VERSION=7.2.4"}}
	bc, err := build(context.Background(), f, images.Options{Base: "redis:7.2", NodeBinary: staticELF(t)}, status.Discard())
	if err != nil {
		t.Fatal(err)
	}
	if bc.RedisVersion != "7.2.4" || bc.Tags[0] != "redis-dock/node:7.2.4" || len(f.built) != 1 {
		t.Errorf("version %q, tags %v, %d builds", bc.RedisVersion, bc.Tags, len(f.built))
	}
	_, err = build(context.Background(), f, images.Options{Base: "redis:6", NodeBinary: staticELF(t)}, status.Discard())
	if err == nil || !strings.Contains(err.Error(), "--base redis:6") {
		t.Errorf("missing base: err = %v", err)
	}
}

func TestBaseVersion(t *testing.T) {
	tests := []struct {
		labels map[string]string
		env    []string
		want   string
	}{
		{map[string]string{images.LabelRedisVersion: "7.0.15"}, []string{"REDIS_VERSION=7.2.4"}, "7.0.15"},
		{nil, []string{"PATH=/bin", "REDIS_VERSION=7.2.4"}, "7.2.4"},
		{nil, []string{"REDIS_VERSION=7 2"}, ""},
		{nil, nil, ""},
	}
	for _, tt := range tests {
		if got := baseVersion(tt.labels, tt.env); got != tt.want {
			t.Errorf("baseVersion(%v, %v) = %q, want %q", tt.labels, tt.env, got, tt.want)
		}
	}
}

func TestNodeTag(t *testing.T) {
	tests := []struct {
		ref, tag string
		ok       bool
	}{
		{"redis-dock/node:7.0.15", "7.0.15", true},
		{"redis-dock/node", "latest", true},
		{"redis-dock/node:", "", false},
		{"redis-dock/nodes:1", "", false},
		{"redis:7.2", "", false},
	}
	for _, tt := range tests {
		tag, ok := nodeTag(tt.ref)
		if tag != tt.tag || ok != tt.ok {
			t.Errorf("nodeTag(%q) = %q, %v", tt.ref, tag, ok)
		}
	}
}

func TestWithDefaultsRedisFromPath(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "redis-server"), []byte("#!/bin/sh\n"), 0o755)
	t.Setenv("PATH", dir)
	opts, cleanup, err := withDefaults(context.Background(), images.Options{NodeBinary: "n"}, status.Discard())
	defer cleanup()
	if err != nil || opts.RedisBinary != filepath.Join(dir, "redis-server") {
		t.Errorf("RedisBinary = %q, %v", opts.RedisBinary, err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, _, err := withDefaults(context.Background(), images.Options{NodeBinary: "n"}, status.Discard()); err == nil {
		t.Error("no error without redis-server on PATH")
	}
}

// staticELF writes a header-only ELF executable for this machine, which
// passes for a static node binary.
func staticELF(t *testing.T) string {
	t.Helper()
	m := elf.EM_X86_64
	if runtime.GOARCH == "arm64" {
		m = elf.EM_AARCH64
	}
	h := elf.Header64{Type: uint16(elf.ET_EXEC), Machine: uint16(m), Version: 1, Ehsize: 64, Phentsize: 56, Shentsize: 64}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), 1
	p := filepath.Join(t.TempDir(), "redis-dock")
	var b strings.Builder
	if err := binary.Write(&b, binary.LittleEndian, &h); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(b.String()), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}
