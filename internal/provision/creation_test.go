package provision

import (
	"os"
	"os/exec"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// TestLockOwnerGone: a lock of this process is alive; one of a process
// that ended, or whose PID now names a process started at another time,
// is gone; one of another host cannot be checked and counts as alive.
func TestLockOwnerGone(t *testing.T) {
	me := Self()
	if me.Start == "" {
		t.Skip("no /proc: owners cannot be checked here")
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	ended := cmd.ProcessState.Pid()
	reused := me
	reused.Start = "1"
	other := docker.LockOwner{Host: "elsewhere", PID: ended}
	for _, c := range []struct {
		name string
		o    docker.LockOwner
		gone bool
	}{
		{"this process", me, false},
		{"ended process", docker.LockOwner{Host: me.Host, PID: ended}, true},
		{"reused pid", reused, true},
		{"other host", other, false},
	} {
		if got := gone(c.o); got != c.gone {
			t.Errorf("%s: gone(%+v) = %v, want %v", c.name, c.o, got, c.gone)
		}
	}
	if procStart(os.Getpid()) != me.Start {
		t.Errorf("procStart changes for one process")
	}
}
