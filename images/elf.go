package images

import (
	"debug/elf"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Library is one shared object a program needs: the name it is asked for
// (the DT_NEEDED soname) and the real file, symlinks resolved, on the host.
type Library struct {
	Soname string
	Path   string
}

// Deps is what the dynamic loader needs to start a set of programs: the
// PT_INTERP interpreter as written in the program and its real file, and
// every library, transitively, in the order they were first needed.
type Deps struct {
	Interp     string
	InterpPath string
	Libs       []Library
	machine    elf.Machine
}

// elfKind is the class and machine every object of one program must share;
// the loader skips candidates of another kind (an i386 libc in /usr/lib).
type elfKind struct {
	class   elf.Class
	machine elf.Machine
}

// resolver finds libraries the way glibc's loader does, without running
// ldd: DT_RPATH, DT_RUNPATH, the ld.so.conf directories, then the defaults.
type resolver struct {
	kind    elfKind
	conf    []string
	exeRpth []string
	seen    map[string]bool
	deps    Deps
}

// resolveDeps reads the programs' ELF headers and returns the interpreter
// and the libraries they load. ldConf is the ld.so.conf to honor ("" for
// none); its include lines are followed.
func resolveDeps(ldConf string, programs ...string) (*Deps, error) {
	r := &resolver{seen: map[string]bool{}}
	if ldConf != "" {
		dirs, err := readLdSoConf(ldConf)
		if err != nil {
			return nil, err
		}
		r.conf = dirs
	}
	for _, p := range programs {
		if err := r.program(p, programs[0]); err != nil {
			return nil, err
		}
	}
	r.deps.machine = r.kind.machine
	return &r.deps, nil
}

// program adds one executable: its interpreter, then its libraries.
func (r *resolver) program(path, first string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("failed to read ELF %s: %w", path, err)
	}
	defer f.Close()
	kind := elfKind{f.Class, f.Machine}
	if path == first {
		r.kind = kind
	} else if kind != r.kind {
		return fmt.Errorf("%s is %v/%v, not %v/%v like %s", path, f.Class, f.Machine, r.kind.class, r.kind.machine, first)
	}
	interp, err := interpreter(f)
	if err != nil {
		return fmt.Errorf("failed to read interpreter of %s: %w", path, err)
	}
	if interp == "" {
		return nil // static: nothing to load
	}
	if r.deps.Interp == "" {
		resolved, err := filepath.EvalSymlinks(interp)
		if err != nil {
			return fmt.Errorf("interpreter of %s: %w", path, err)
		}
		r.deps.Interp, r.deps.InterpPath = interp, resolved
	}
	r.exeRpth = dynList(f, elf.DT_RPATH, filepath.Dir(path))
	return r.walk(f, path)
}

// walk resolves the DT_NEEDED entries of one object, then of each new
// library, depth first.
func (r *resolver) walk(f *elf.File, path string) error {
	needed, err := f.DynString(elf.DT_NEEDED)
	if err != nil {
		return fmt.Errorf("failed to read DT_NEEDED of %s: %w", path, err)
	}
	dirs := r.searchPath(f, filepath.Dir(path))
	for _, name := range needed {
		if r.seen[name] {
			continue
		}
		r.seen[name] = true
		resolved, err := r.find(name, dirs)
		if err != nil {
			return fmt.Errorf("library %s needed by %s: %w", name, path, err)
		}
		r.deps.Libs = append(r.deps.Libs, Library{Soname: name, Path: resolved})
		if err := r.walkFile(resolved); err != nil {
			return err
		}
	}
	return nil
}

func (r *resolver) walkFile(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("failed to read ELF %s: %w", path, err)
	}
	defer f.Close()
	return r.walk(f, path)
}

// searchPath is the loader's order for one object: its DT_RPATH and the
// executable's (only without DT_RUNPATH), DT_RUNPATH, ld.so.conf, defaults.
func (r *resolver) searchPath(f *elf.File, origin string) []string {
	var dirs []string
	runpath := dynList(f, elf.DT_RUNPATH, origin)
	if len(runpath) == 0 {
		dirs = append(dirs, dynList(f, elf.DT_RPATH, origin)...)
		dirs = append(dirs, r.exeRpth...)
	}
	dirs = append(dirs, runpath...)
	dirs = append(dirs, r.conf...)
	return append(dirs, defaultLibDirs(r.kind.machine)...)
}

// find returns the real path of the first candidate of the right kind.
func (r *resolver) find(name string, dirs []string) (string, error) {
	if strings.Contains(name, "/") {
		dirs = []string{""}
	}
	for _, dir := range dirs {
		cand := filepath.Join(dir, name)
		if !r.matches(cand) {
			continue
		}
		return filepath.EvalSymlinks(cand)
	}
	return "", errors.New("not found in " + strings.Join(dirs, ":"))
}

func (r *resolver) matches(path string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return elfKind{f.Class, f.Machine} == r.kind
}

// interpreter returns the PT_INTERP path, or "" for a static program.
func interpreter(f *elf.File) (string, error) {
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		b := make([]byte, p.Filesz)
		if _, err := p.ReadAt(b, 0); err != nil {
			return "", err
		}
		return strings.TrimRight(string(b), "\x00"), nil
	}
	return "", nil
}

// dynList splits a DT_RPATH / DT_RUNPATH value, expanding $ORIGIN; entries
// with tokens the loader expands per platform ($LIB, $PLATFORM) are dropped.
func dynList(f *elf.File, tag elf.DynTag, origin string) []string {
	vals, _ := f.DynString(tag)
	var dirs []string
	for _, v := range vals {
		for _, d := range strings.Split(v, ":") {
			d = strings.ReplaceAll(strings.ReplaceAll(d, "${ORIGIN}", origin), "$ORIGIN", origin)
			if d != "" && !strings.Contains(d, "$") {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs
}

// defaultLibDirs are the directories the loader searches last, for
// programs of the given machine.
func defaultLibDirs(m elf.Machine) []string {
	dirs := []string{"/lib64", "/usr/lib64", "/lib", "/usr/lib"}
	if t := multiarch(m); t != "" {
		dirs = append([]string{"/lib/" + t, "/usr/lib/" + t}, dirs...)
	}
	return dirs
}

func multiarch(m elf.Machine) string {
	switch m {
	case elf.EM_X86_64:
		return "x86_64-linux-gnu"
	case elf.EM_AARCH64:
		return "aarch64-linux-gnu"
	case elf.EM_386:
		return "i386-linux-gnu"
	case elf.EM_ARM:
		return "arm-linux-gnueabihf"
	case elf.EM_PPC64:
		return "powerpc64le-linux-gnu"
	case elf.EM_S390:
		return "s390x-linux-gnu"
	case elf.EM_RISCV:
		return "riscv64-linux-gnu"
	}
	return ""
}

// isStatic reports whether path is an ELF program without an interpreter,
// so it runs in an empty (scratch) image.
func isStatic(path string) (bool, error) {
	f, err := elf.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	interp, err := interpreter(f)
	return interp == "", err
}
