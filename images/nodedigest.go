package images

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Labels that record what a node image was built from, so a later run can
// tell whether the image still carries the node binary it would build now.
const (
	LabelNodeBinary = "redis-dock.node-binary" // sha256:<hex> of the node binary
	LabelBase       = "redis-dock.base"        // the base image, for --base builds
)

type digestKey struct {
	path  string
	size  int64
	mtime time.Time
}

var (
	digestMu    sync.Mutex
	digestCache = map[digestKey]string{}
)

// NodeBinaryDigest returns "sha256:<hex>" of the file at path. It is
// remembered by path, size and modification time, so asking again for
// the same unchanged file costs one stat.
func NodeBinaryDigest(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("node binary %s: %w", path, err)
	}
	key := digestKey{path, st.Size(), st.ModTime()}
	digestMu.Lock()
	d, ok := digestCache[key]
	digestMu.Unlock()
	if ok {
		return d, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("node binary %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("node binary %s: %w", path, err)
	}
	d = "sha256:" + hex.EncodeToString(h.Sum(nil))
	digestMu.Lock()
	digestCache[key] = d
	digestMu.Unlock()
	return d, nil
}

// sourceLabels adds the node binary's digest (and the base, if any) to l.
func sourceLabels(l map[string]string, opts Options) (map[string]string, error) {
	d, err := NodeBinaryDigest(opts.NodeBinary)
	if err != nil {
		return nil, err
	}
	l[LabelNodeBinary] = d
	if opts.Base != "" {
		l[LabelBase] = opts.Base
	}
	return l, nil
}
