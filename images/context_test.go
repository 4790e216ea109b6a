package images

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"flag"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func goMachine() elf.Machine {
	if runtime.GOARCH == "arm64" {
		return elf.EM_AARCH64
	}
	return elf.EM_X86_64
}

type tarEntry struct {
	hdr  *tar.Header
	data []byte
}

func readTar(t *testing.T, b []byte) ([]string, map[string]tarEntry) {
	t.Helper()
	var names []string
	entries := map[string]tarEntry{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names, entries
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		name := strings.TrimSuffix(h.Name, "/")
		names = append(names, name)
		entries[name] = tarEntry{h, data}
	}
}

func TestNewContextScratch(t *testing.T) {
	needRedis(t)
	opts := Options{RedisBinary: hostRedis, NodeBinary: writeStaticELF(t, redisMachine(t))}
	bc, err := NewContext(opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(bc.Tags, DefaultImage) || bc.Tags[0] != Repo+":"+bc.RedisVersion {
		t.Errorf("Tags = %v", bc.Tags)
	}
	if bc.Labels[LabelRedisVersion] != bc.RedisVersion || bc.Source != hostRedis {
		t.Errorf("Labels = %v, Source = %q", bc.Labels, bc.Source)
	}
	names, entries := readTar(t, bc.Tar)
	if !slices.IsSorted(names) {
		t.Errorf("entries not sorted: %v", names)
	}
	want := []struct {
		name string
		typ  byte
		mode int64
	}{
		{"Dockerfile", tar.TypeReg, 0o644},
		{"rootfs/usr/local/bin/redis-server", tar.TypeReg, 0o755},
		{"rootfs/usr/local/bin/redis-cli", tar.TypeReg, 0o755},
		{"rootfs/usr/local/bin/redis-dock", tar.TypeReg, 0o755},
		{"rootfs/etc/passwd", tar.TypeReg, 0o644},
		{"rootfs/etc/group", tar.TypeReg, 0o644},
		{"rootfs/tmp", tar.TypeDir, 0o1777},
		{"owned/data", tar.TypeDir, 0o750},
		{"owned-etc/redis", tar.TypeDir, 0o750},
	}
	for _, w := range want {
		e, ok := entries[w.name]
		if !ok || e.hdr.Typeflag != w.typ || e.hdr.Mode != w.mode {
			t.Errorf("%s: got %+v, want type %c mode %o", w.name, e.hdr, w.typ, w.mode)
		}
	}
	for _, n := range names {
		h := entries[n].hdr
		if h.Uid != 0 || h.Gid != 0 || !h.ModTime.Equal(epoch) {
			t.Errorf("%s: uid %d gid %d mtime %v", n, h.Uid, h.Gid, h.ModTime)
		}
	}
	passwd := string(entries["rootfs/etc/passwd"].data)
	if !strings.Contains(passwd, "redis:x:999:999:") || !strings.HasPrefix(passwd, "root:x:0:0:") {
		t.Errorf("passwd = %q", passwd)
	}
	if !strings.Contains(string(entries["rootfs/etc/group"].data), "redis:x:999:") {
		t.Errorf("group = %q", entries["rootfs/etc/group"].data)
	}
	checkLoadable(t, entries)

	again, err := NewContext(opts)
	if err != nil || !bytes.Equal(again.Tar, bc.Tar) {
		t.Errorf("second context differs (err %v)", err)
	}
}

// checkLoadable checks that the interpreter and every soname redis-server
// needs can be found in the tar in a directory the loader searches.
func checkLoadable(t *testing.T, entries map[string]tarEntry) {
	t.Helper()
	d, err := resolveDeps(hostLdSoConf, hostRedis)
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(p string) (tarEntry, bool) {
		for range 10 {
			e, ok := entries["rootfs"+p]
			if !ok || e.hdr.Typeflag != tar.TypeSymlink {
				return e, ok
			}
			if p = e.hdr.Linkname; !path.IsAbs(p) {
				p = path.Join(path.Dir(strings.TrimPrefix(e.hdr.Name, "rootfs")), p)
			}
		}
		return tarEntry{}, false
	}
	if e, ok := resolve(d.Interp); !ok || e.hdr.Typeflag != tar.TypeReg {
		t.Errorf("interpreter %s not in the image", d.Interp)
	}
	for _, l := range d.Libs {
		found := false
		for _, dir := range defaultLibDirs(d.machine) {
			if e, ok := resolve(path.Join(dir, l.Soname)); ok && e.hdr.Typeflag == tar.TypeReg {
				found = true
			}
		}
		if !found {
			t.Errorf("%s not loadable from the default dirs", l.Soname)
		}
	}
}

func TestNewContextBase(t *testing.T) {
	opts := Options{Base: "redis:7.2", NodeBinary: writeStaticELF(t, goMachine()), RedisVersion: "7.2.4"}
	bc, err := NewContext(opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(bc.Tags, []string{"redis-dock/node:7.2.4", DefaultImage}) {
		t.Errorf("Tags = %v", bc.Tags)
	}
	names, entries := readTar(t, bc.Tar)
	want := []string{"Dockerfile", "owned", "owned-etc", "owned-etc/redis", "owned/data", "rootfs",
		"rootfs/usr", "rootfs/usr/local", "rootfs/usr/local/bin", "rootfs/usr/local/bin/redis-dock"}
	if !slices.Equal(names, want) {
		t.Errorf("entries = %v, want %v", names, want)
	}
	if !strings.Contains(string(entries["Dockerfile"].data), "FROM redis:7.2\n") {
		t.Errorf("Dockerfile = %s", entries["Dockerfile"].data)
	}
}

func TestNewContextRejectsDynamicNode(t *testing.T) {
	needRedis(t)
	_, err := NewContext(Options{RedisBinary: hostRedis, NodeBinary: hostRedis})
	if err == nil || !strings.Contains(err.Error(), "not static") {
		t.Errorf("err = %v, want: not static", err)
	}
}

func TestDockerfileGolden(t *testing.T) {
	tests := []struct {
		name string
		tmpl string
		p    dockerfileParams
	}{
		{"scratch", "scratch", dockerfileParams{RedisVersion: "7.0.15"}},
		{"scratch-ldpath", "scratch", dockerfileParams{RedisVersion: "7.2.4", LibraryPath: "/opt/redis/lib"}},
		{"base", "base", dockerfileParams{Base: "redis:7.2", RedisVersion: "7.2.4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := scratchTemplate
			if tt.tmpl == "base" {
				tmpl = baseTemplate
			}
			got, err := renderDockerfile(tmpl, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.name+".Dockerfile.golden")
			if *update {
				os.WriteFile(golden, got, 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Dockerfile differs from %s:\n%s", golden, got)
			}
		})
	}
}
