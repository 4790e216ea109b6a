package nodeagent

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// WritePrivate writes the final config readable by its owner only. When
// the node starts as root (compose, whose secrets keep the host file's
// owner), the file is given to uid:gid, the user redis-server runs as.
func WritePrivate(path string, data []byte, uid, gid int) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	if os.Getuid() == 0 {
		if err := os.Chown(path, uid, gid); err != nil {
			return fmt.Errorf("failed to give %s to %d:%d: %w", path, uid, gid, err)
		}
	}
	return nil
}

// DropRoot switches to uid:gid when running as root; otherwise it does
// nothing. Go applies set*id to every thread of the process.
func DropRoot(uid, gid int) error {
	if os.Getuid() != 0 {
		return nil
	}
	if err := syscall.Setgroups([]int{gid}); err != nil {
		return fmt.Errorf("setgroups: %w", err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return fmt.Errorf("setgid %d: %w", gid, err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return fmt.Errorf("setuid %d: %w", uid, err)
	}
	return nil
}

// ExecRedis replaces this process with `redis-server conf`, so the server
// gets the container's signals and its exit ends the task.
func ExecRedis(conf string) error {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return fmt.Errorf("no redis-server in the image: %w", err)
	}
	if err := syscall.Exec(bin, []string{"redis-server", conf}, os.Environ()); err != nil {
		return fmt.Errorf("failed to exec %s: %w", bin, err)
	}
	return nil
}

// Spawn starts this binary again with args in the background, its output
// going to the container log: the helper that announces the node
// outlives the exec into redis-server. With wait (the first hop of a
// double fork) Spawn waits for that child, which starts the real helper
// and exits, so the helper is no child of redis-server, which reaps any
// child it finds and logs a warning about it; the init process adopts it.
func Spawn(wait bool, args ...string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if wait {
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("failed to run %s %v: %w", self, args, err)
		}
		return nil
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("failed to start %s %v: %w", self, args, err)
	}
	return cmd.Process.Release()
}

// The node image's redis user, config and data directories (images.UID,
// GID, ConfigDir and DataDir; not imported, as package images would add
// debug/elf and the Dockerfile templates to the in-image binary). A test
// keeps them equal.
const (
	RedisUID  = 999
	RedisGID  = 999
	ConfigDir = "/etc/redis"
	DataDir   = "/data"
)
