package images

import (
	"debug/elf"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

const hostRedis = "/usr/bin/redis-server"

func needRedis(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(hostRedis); err != nil {
		t.Skipf("%s not installed", hostRedis)
	}
}

func TestResolveDepsRedisServer(t *testing.T) {
	needRedis(t)
	d, err := resolveDeps(hostLdSoConf, hostRedis)
	if err != nil {
		t.Fatal(err)
	}
	var sonames []string
	for _, l := range d.Libs {
		sonames = append(sonames, l.Soname)
		if resolved, _ := filepath.EvalSymlinks(l.Path); resolved != l.Path {
			t.Errorf("%s: path %s is not resolved (%s)", l.Soname, l.Path, resolved)
		}
	}
	want := []string{"libc.so.6", "libjemalloc.so.2", "libm.so.6", "libssl.so.3", "libcrypto.so.3"}
	if d.machine == elf.EM_X86_64 {
		want = append(want, "ld-linux-x86-64.so.2")
		if d.Interp != "/lib64/ld-linux-x86-64.so.2" {
			t.Errorf("Interp = %q, want /lib64/ld-linux-x86-64.so.2", d.Interp)
		}
	}
	for _, w := range want {
		if !slices.Contains(sonames, w) {
			t.Errorf("%s not among the libraries %v", w, sonames)
		}
	}
	if d.InterpPath == "" || filepath.Base(d.InterpPath) != filepath.Base(d.Interp) {
		t.Errorf("InterpPath = %q for %q", d.InterpPath, d.Interp)
	}
}

// TestResolveDepsRunpath builds a program with RUNPATH=$ORIGIN/../lib and
// a versioned library behind a soname symlink, outside the default dirs.
func TestResolveDepsRunpath(t *testing.T) {
	if _, err := exec.LookPath("cc"); err != nil {
		t.Skip("no C compiler")
	}
	dir, _ := filepath.EvalSymlinks(t.TempDir())
	lib, bin := filepath.Join(dir, "lib"), filepath.Join(dir, "bin")
	os.Mkdir(lib, 0o755)
	os.Mkdir(bin, 0o755)
	os.WriteFile(filepath.Join(dir, "foo.c"), []byte("int foo(void) { return 1; }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.c"), []byte("int foo(void);\nint main(void) { return foo(); }\n"), 0o644)
	run(t, dir, "cc", "-shared", "-fPIC", "-Wl,-soname,libfoo.so.1", "-o", "lib/libfoo.so.1.0", "foo.c")
	run(t, dir, "ln", "-s", "libfoo.so.1.0", "lib/libfoo.so.1")
	run(t, dir, "ln", "-s", "libfoo.so.1", "lib/libfoo.so")
	run(t, dir, "cc", "-o", "bin/prog", "main.c", "-Llib", "-lfoo", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib")

	d, err := resolveDeps("", filepath.Join(bin, "prog"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Libs[0] != (Library{Soname: "libfoo.so.1", Path: filepath.Join(lib, "libfoo.so.1.0")}) {
		t.Fatalf("first library = %+v", d.Libs[0])
	}
	fs := newRootfs()
	extra, err := addDeps(fs, d)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(extra, []string{lib}) {
		t.Errorf("LD_LIBRARY_PATH dirs = %v, want [%s]", extra, lib)
	}
	if e := fs.entries["rootfs"+lib+"/libfoo.so.1"]; e.link != "libfoo.so.1.0" {
		t.Errorf("soname entry = %+v, want a symlink to libfoo.so.1.0", e)
	}
}

func run(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v: %s", name, args, err, out)
	}
}

func TestResolveDepsWrongMachine(t *testing.T) {
	needRedis(t)
	other := writeStaticELF(t, elf.EM_AARCH64)
	if redisMachine(t) == elf.EM_AARCH64 {
		other = writeStaticELF(t, elf.EM_X86_64)
	}
	if _, err := resolveDeps("", hostRedis, other); err == nil {
		t.Fatal("no error for programs of two machines")
	}
}

func redisMachine(t *testing.T) elf.Machine {
	t.Helper()
	f, err := elf.Open(hostRedis)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return f.Machine
}

// writeStaticELF writes a header-only 64-bit ELF executable: no PT_INTERP,
// so it counts as static.
func writeStaticELF(t *testing.T, m elf.Machine) string {
	t.Helper()
	h := elf.Header64{
		Type: uint16(elf.ET_EXEC), Machine: uint16(m), Version: uint32(elf.EV_CURRENT),
		Ehsize: 64, Phentsize: 56, Shentsize: 64,
	}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	p := filepath.Join(t.TempDir(), "redis-dock")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := binary.Write(f, binary.LittleEndian, &h); err != nil {
		t.Fatal(err)
	}
	return p
}
