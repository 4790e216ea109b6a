package swarm

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// The integration tests share one swarm: when the engine is in none, the
// first test makes it a single-node swarm on 127.0.0.1, and TestMain
// leaves it (and removes the docker_gwbridge it made) after the last.
var (
	swarmOnce     sync.Once
	swarmErr      error
	swarmCreated  bool
	gwbridgeAdded bool
	notManagerErr error // what Up said before the swarm existed
)

func TestMain(m *testing.M) {
	code := m.Run()
	if swarmCreated {
		if err := leaveSwarm(); err != nil {
			os.Stderr.WriteString("leaving the test swarm: " + err.Error() + "\n")
			code = 1
		}
	}
	os.Exit(code)
}

func leaveSwarm() error {
	d, err := docker.New()
	if err != nil {
		return err
	}
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := d.SwarmLeave(ctx); err != nil {
		return err
	}
	if gwbridgeAdded {
		removeGWBridge(ctx, d)
	}
	return nil
}

// removeGWBridge removes the docker_gwbridge that SwarmInit made. Right
// after the swarm is left, Docker 20.10 may still count endpoints on it
// for a while (or until dockerd restarts): retry, then only warn, since
// the swarm itself is gone and the engine owns this network.
func removeGWBridge(ctx context.Context, d *docker.Client) {
	var err error
	for try := 0; try < 20; try++ {
		if err = d.RemoveNetwork(ctx, "docker_gwbridge"); err == nil || !strings.Contains(err.Error(), "active endpoints") {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if err != nil {
		os.Stderr.WriteString("warning: docker_gwbridge stays: " + err.Error() + "\n")
	}
}

// needSwarm returns a client of an engine that is a swarm manager.
func needSwarm(t *testing.T) *docker.Client {
	t.Helper()
	d := testutil.Docker(t)
	swarmOnce.Do(func() { swarmErr = initSwarm(d) })
	if swarmErr != nil {
		t.Fatalf("no swarm to test on: %v", swarmErr)
	}
	return d
}

func initSwarm(d *docker.Client) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := d.SwarmState(ctx)
	if err != nil || st.Manager {
		return err
	}
	if st.Active {
		return errNotManagerEngine
	}
	s := spec.Default()
	s.Name = testutil.UniqueName("swnm")
	_, notManagerErr = Up(ctx, s, Options{Docker: d})
	_, had, err := d.NetworkOwner(ctx, "docker_gwbridge")
	if err != nil {
		return err
	}
	if err := d.SwarmInit(ctx, "127.0.0.1"); err != nil {
		return err
	}
	swarmCreated, gwbridgeAdded = true, !had
	return nil
}

var errNotManagerEngine = errors.New("the engine is a swarm worker: run the tests on a manager")

// dockerCLI returns the docker CLI, as a user runs `docker stack deploy`.
func dockerCLI(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("docker")
	if err != nil {
		if os.Getenv(testutil.RequireDocker) == "1" {
			t.Fatalf("the docker CLI is not installed (apt-get install docker.io): %v", err)
		}
		t.Skipf("the docker CLI is not installed: %v", err)
	}
	return p
}
