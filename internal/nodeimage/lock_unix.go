//go:build linux || darwin || freebsd || netbsd || openbsd

package nodeimage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockBuilds takes a host-wide lock so processes building node images take
// turns: the second then finds the image instead of building it again (and
// leaving the first build's image untagged). Best effort: when the lock
// file cannot be opened, builds just run.
func lockBuilds(ctx context.Context) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "redis-dock-image-build.lock"), os.O_CREATE|os.O_RDONLY, 0o644)
	if err != nil {
		return func() {}, nil
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return func() {}, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
