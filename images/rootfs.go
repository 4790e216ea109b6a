package images

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"time"
)

// epoch is every entry's mtime, so the same inputs give the same tar and
// the engine's build cache gives the same image.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// entry is one file, directory or symlink of the build context. A file's
// content is data, or the host file src read when the tar is written.
type entry struct {
	typ  byte
	mode int64
	data []byte
	src  string
	link string
}

// rootfs is the build context as a tree keyed by slash path, owned by root
// (the legacy builder makes COPYed files root's; --chown sets the rest).
type rootfs struct {
	entries map[string]entry
	size    int64
}

func newRootfs() *rootfs { return &rootfs{entries: map[string]entry{}} }

// add keeps the first entry for a path, creating parents as 0755 dirs.
func (fs *rootfs) add(name string, e entry) {
	name = path.Clean(name)
	if _, ok := fs.entries[name]; ok {
		return
	}
	if dir := path.Dir(name); dir != "." && dir != "/" {
		fs.add(dir, entry{typ: tar.TypeDir, mode: 0o755})
	}
	fs.entries[name] = e
}

func (fs *rootfs) addDir(name string, mode int64) {
	fs.add(name, entry{typ: tar.TypeDir, mode: mode})
}

func (fs *rootfs) addBytes(name string, mode int64, data []byte) {
	fs.add(name, entry{typ: tar.TypeReg, mode: mode, data: data})
}

func (fs *rootfs) addSymlink(name, target string) {
	fs.add(name, entry{typ: tar.TypeSymlink, mode: 0o777, link: target})
}

// addHost adds the host file src as name; mode 0 keeps the host's mode.
func (fs *rootfs) addHost(name, src string, mode int64) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", src)
	}
	if mode == 0 {
		mode = int64(st.Mode().Perm())
	}
	fs.add(name, entry{typ: tar.TypeReg, mode: mode, src: src})
	return nil
}

// tar writes the entries sorted by path (parents before children).
func (fs *rootfs) tar() ([]byte, error) {
	names := make([]string, 0, len(fs.entries))
	for n := range fs.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	fs.size = 0
	for _, n := range names {
		if err := fs.write(tw, n, fs.entries[n]); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (fs *rootfs) write(tw *tar.Writer, name string, e entry) error {
	data := e.data
	if e.src != "" {
		b, err := os.ReadFile(e.src)
		if err != nil {
			return err
		}
		data = b
	}
	hdr := &tar.Header{Typeflag: e.typ, Name: name, Linkname: e.link, Mode: e.mode, ModTime: epoch}
	if e.typ == tar.TypeDir {
		hdr.Name += "/"
	}
	if e.typ == tar.TypeReg {
		hdr.Size = int64(len(data))
		fs.size += hdr.Size
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("failed to write %s to the build context: %w", name, err)
	}
	_, err := io.Copy(tw, bytes.NewReader(data))
	return err
}
