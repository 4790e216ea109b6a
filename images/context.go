package images

import (
	"bytes"
	"debug/elf"
	_ "embed"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
)

var (
	//go:embed scratch.Dockerfile
	scratchDockerfile string
	//go:embed base.Dockerfile
	baseDockerfile string

	scratchTemplate = template.Must(template.New("scratch").Parse(scratchDockerfile))
	baseTemplate    = template.Must(template.New("base").Parse(baseDockerfile))
)

// dockerfileParams fill the Dockerfile templates.
type dockerfileParams struct {
	Base         string
	RedisVersion string
	LibraryPath  string
	UID, GID     int
	DataDir      string
	ConfigDir    string
}

func renderDockerfile(t *template.Template, p dockerfileParams) ([]byte, error) {
	p.UID, p.GID, p.DataDir, p.ConfigDir = UID, GID, DataDir, ConfigDir
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("failed to render the Dockerfile: %w", err)
	}
	return b.Bytes(), nil
}

// scratchContext holds redis-server, redis-cli when it sits beside it, the
// libraries they load and a minimal /etc. It sets opts.RedisVersion.
func scratchContext(opts *Options) (*rootfs, []byte, error) {
	server, err := filepath.EvalSymlinks(opts.RedisBinary)
	if err != nil {
		return nil, nil, fmt.Errorf("redis binary %s: %w", opts.RedisBinary, err)
	}
	if opts.RedisVersion, err = RedisVersion(opts.RedisBinary); err != nil {
		return nil, nil, err
	}
	programs := []string{server}
	if cli := findCLI(opts.RedisBinary, server); cli != "" {
		programs = append(programs, cli)
	}
	deps, err := resolveDeps(hostLdSoConf, programs...)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to find the libraries of %s: %w", opts.RedisBinary, err)
	}
	fs := newRootfs()
	for _, p := range programs {
		name := "redis-server"
		if p != server {
			name = "redis-cli"
		}
		if err := fs.addHost("rootfs/usr/local/bin/"+name, p, 0o755); err != nil {
			return nil, nil, err
		}
	}
	extra, err := addDeps(fs, deps)
	if err != nil {
		return nil, nil, err
	}
	if err := addNode(fs, opts.NodeBinary, deps.machine); err != nil {
		return nil, nil, err
	}
	addSystem(fs)
	df, err := renderDockerfile(scratchTemplate, dockerfileParams{
		RedisVersion: opts.RedisVersion,
		LibraryPath:  strings.Join(extra, ":"),
	})
	return fs, df, err
}

// baseContext adds only the node binary and the redis-owned directories.
func baseContext(opts Options) (*rootfs, []byte, error) {
	fs := newRootfs()
	if err := addNode(fs, opts.NodeBinary, elf.EM_NONE); err != nil {
		return nil, nil, err
	}
	addOwned(fs)
	df, err := renderDockerfile(baseTemplate, dockerfileParams{Base: opts.Base, RedisVersion: opts.RedisVersion})
	return fs, df, err
}

// findCLI returns redis-cli from the directory of the given redis-server
// path or of its resolved file, or "" when neither has one.
func findCLI(given, resolved string) string {
	for _, dir := range []string{filepath.Dir(given), filepath.Dir(resolved)} {
		p, err := filepath.EvalSymlinks(filepath.Join(dir, "redis-cli"))
		if err == nil {
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p
			}
		}
	}
	return ""
}

// addDeps stores each library at its real path and its soname beside it;
// the interpreter also at its PT_INTERP path. It returns the directories
// the image's loader would not search by default (for LD_LIBRARY_PATH).
func addDeps(fs *rootfs, d *Deps) ([]string, error) {
	if d.Interp != "" {
		if err := fs.addHost("rootfs"+d.InterpPath, d.InterpPath, 0); err != nil {
			return nil, err
		}
		if d.Interp != d.InterpPath {
			fs.addSymlink("rootfs"+d.Interp, d.InterpPath)
		}
	}
	defaults := defaultLibDirs(d.machine)
	var extra []string
	for _, l := range d.Libs {
		if err := fs.addHost("rootfs"+l.Path, l.Path, 0); err != nil {
			return nil, err
		}
		dir, file := path.Split(l.Path)
		dir = path.Clean(dir)
		if !strings.Contains(l.Soname, "/") && file != l.Soname {
			fs.addSymlink("rootfs"+path.Join(dir, l.Soname), file)
		}
		if !slices.Contains(defaults, dir) && !slices.Contains(extra, dir) {
			extra = append(extra, dir)
		}
	}
	return extra, nil
}

// addNode adds the node binary, which must be static (and, in a scratch
// image, for the same machine as redis-server).
func addNode(fs *rootfs, bin string, machine elf.Machine) error {
	f, err := elf.Open(bin)
	if err != nil {
		return fmt.Errorf("node binary %s: %w", bin, err)
	}
	interp, err := interpreter(f)
	m := f.Machine
	f.Close()
	switch {
	case err != nil:
		return fmt.Errorf("node binary %s: %w", bin, err)
	case interp != "":
		return fmt.Errorf("node binary %s is not static (it needs %s): build it with CGO_ENABLED=0", bin, interp)
	case machine != elf.EM_NONE && m != machine:
		return fmt.Errorf("node binary %s is for %v, redis-server for %v", bin, m, machine)
	}
	return fs.addHost("rootfs"+NodeBinaryPath, bin, 0o755)
}

// addSystem adds the users, a sticky /tmp and the redis-owned directories.
func addSystem(fs *rootfs) {
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\nredis:x:%d:%d:redis:%s:/sbin/nologin\n", UID, GID, DataDir)
	group := fmt.Sprintf("root:x:0:\nredis:x:%d:\n", GID)
	fs.addBytes("rootfs/etc/passwd", 0o644, []byte(passwd))
	fs.addBytes("rootfs/etc/group", 0o644, []byte(group))
	fs.addDir("rootfs/tmp", 0o1777)
	addOwned(fs)
}

// addOwned adds the directories COPY --chown gives to the redis user:
// owned/ is copied to / and owned-etc/ to /etc/, so / and /etc stay root's.
func addOwned(fs *rootfs) {
	fs.addDir("owned"+DataDir, 0o750)
	fs.addDir("owned-etc/"+path.Base(ConfigDir), 0o750)
}
