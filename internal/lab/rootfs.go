package lab

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// engineBinaries must exist under the machine's /usr for a lab host to
// run an engine (Debian's docker.io package installs them).
var engineBinaries = [][]string{
	{"/usr/sbin/dockerd", "/usr/bin/dockerd"},
	{"/usr/bin/containerd"},
	{"/usr/sbin/runc", "/usr/bin/runc"},
	{"/usr/sbin/iptables", "/usr/sbin/iptables-nft", "/usr/sbin/iptables-legacy"},
}

// checkBinaries says which engine binary the machine lacks.
func checkBinaries(root string) error {
	for _, alts := range engineBinaries {
		found := false
		for _, p := range alts {
			if _, err := os.Stat(filepath.Join(root, p)); err == nil {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("lab hosts run this machine's Docker engine, but %s is missing (install Debian's docker.io package)", alts[0])
		}
	}
	return nil
}

// rootfs is a tiny root filesystem: the usual top-level links into /usr
// (mounted from the machine), users and groups, and /etc/alternatives,
// which iptables resolves through. etc is the machine's /etc.
func rootfs(etc string) ([]byte, error) {
	var buf bytes.Buffer
	w := tar.NewWriter(&buf)
	now := time.Now()
	add := func(h *tar.Header) error {
		h.ModTime = now
		return w.WriteHeader(h)
	}
	for _, d := range []string{"usr", "etc", "run", "tmp", "proc", "sys", "dev", "var", "var/lib", "var/lib/docker", "root"} {
		if err := add(&tar.Header{Name: d + "/", Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
			return nil, err
		}
	}
	links := [][2]string{{"bin", "usr/bin"}, {"sbin", "usr/sbin"}, {"lib", "usr/lib"}, {"lib64", "usr/lib64"}, {"var/run", "../run"}}
	for _, l := range links {
		if err := add(&tar.Header{Name: l[0], Typeflag: tar.TypeSymlink, Linkname: l[1], Mode: 0o777}); err != nil {
			return nil, err
		}
	}
	for _, f := range []string{"passwd", "group"} {
		if err := addFile(w, etc, f, now); err != nil {
			return nil, err
		}
	}
	if err := addTree(w, etc, "alternatives", now); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func addFile(w *tar.Writer, etc, name string, now time.Time) error {
	b, err := os.ReadFile(filepath.Join(etc, name))
	if err != nil {
		return fmt.Errorf("failed to read %s for the lab host's root: %w", name, err)
	}
	if err := w.WriteHeader(&tar.Header{Name: "etc/" + name, Mode: 0o644, Size: int64(len(b)), ModTime: now}); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// addTree copies a directory of symlinks and small files (the
// alternatives), as they are.
func addTree(w *tar.Writer, etc, dir string, now time.Time) error {
	root := filepath.Join(etc, dir)
	if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
		return nil // no alternatives: iptables is a plain binary
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(etc, p)
		name := "etc/" + filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			return w.WriteHeader(&tar.Header{Name: name + "/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: now})
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return w.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeSymlink, Linkname: target, Mode: 0o777, ModTime: now})
		case d.Type().IsRegular():
			return addFile(w, etc, rel, now)
		}
		return nil
	})
}
