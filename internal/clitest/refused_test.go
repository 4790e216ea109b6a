package clitest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationCLIRefusedInputCreatesNothing runs `up` with input it
// must refuse and asserts, from the engine's own event stream, that the
// engine did nothing at all for that cluster: not "created, then cleaned
// up", but never created. The error must name the flag or field at fault.
func TestIntegrationCLIRefusedInputCreatesNothing(t *testing.T) {
	d := testutil.ParallelDocker(t)
	name := testutil.UniqueName("refused")
	port, busyBase := testutil.FreePortRange(t, 6), testutil.FreePortRange(t, 6)
	testutil.RemoveOnCleanup(t, d, name)
	busy, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(busyBase+3))
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	badSpec := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badSpec, []byte("name: "+name+"\nmastrs: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what  string
		args  []string
		names string // what the error must name
	}{
		{"too few masters", []string{"--masters", "2"}, "--masters"},
		{"negative replicas", []string{"--replicas", "-1"}, "--replicas"},
		{"port zero", []string{"--port", "0"}, "--port"},
		{"client ports past 65535", []string{"--port", "65533"}, "--port"},
		{"bus ports past 65535", []string{"--port", "60000"}, "--bus-port"},
		{"a port in use", []string{"--port", strconv.Itoa(busyBase)}, "--port"},
		{"a directive redis-dock owns", []string{"--config", "port 1"}, "--config"},
		{"a directive without a value", []string{"--config", "maxmemory"}, "--config"},
		{"password file missing", []string{"--password-file", filepath.Join(dir, "missing")}, "--password-file"},
		{"unknown spec-file key", []string{"-f", badSpec}, "unknown key mastrs"},
		{"unknown network mode", []string{"--network", "foo"}, "--network"},
		{"bad subnet", []string{"--subnet", "300.1.1.0/24"}, "--subnet"},
		{"unknown directive", []string{"--config", "nosuchdirective 1", "--wait", "10s"}, "nosuchdirective"},
		{"a TLS flag without --tls", []string{"--tls-client-auth"}, "--tls-client-auth"},
		{"a CA file missing", []string{"--tls", "--tls-ca", filepath.Join(dir, "missing.pem"), "--tls-cert-dir", dir}, "--tls-ca"},
		{"a CA without certificates", []string{"--tls", "--tls-ca", badSpec}, "--tls-cert-dir"},
		{"no days", []string{"--tls", "--tls-days", "0"}, "--tls-days"},
	} {
		args := append([]string{"up", "--name", name, "--port", strconv.Itoa(port)}, c.args...)
		since := time.Now()
		r := run(t, nil, args...)
		evs := clusterEvents(t, d, name, since)
		if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "ERROR: ") != 1 || !strings.Contains(errorText(r.stderr), c.names) {
			t.Errorf("%s: want a non-zero exit and an ERROR naming %s, got\n%s", c.what, c.names, r)
		}
		if len(evs) > 0 {
			t.Errorf("%s: the engine saw %d events for %s, want none: %+v", c.what, len(evs), name, evs)
		}
	}
	if left, err := d.Leftovers(context.Background(), name); err != nil || left != (docker.Removed{}) {
		t.Fatalf("left %+v of %s (err %v), want nothing", left, name, err)
	}
	witnessSeesCreates(t, d, name)
}

// clusterEvents returns the engine's events since then that name cluster
// in its ID (a volume's is its name) or any attribute (names, labels).
func clusterEvents(t *testing.T, d *docker.Client, cluster string, since time.Time) []docker.Event {
	t.Helper()
	all, err := d.Events(context.Background(), since, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var out []docker.Event
	for _, e := range all {
		for _, v := range append(mapValues(e.Attributes), e.ID) {
			if strings.Contains(v, cluster) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// witnessSeesCreates proves clusterEvents would catch a create: a volume
// labelled for the cluster shows up in it.
func witnessSeesCreates(t *testing.T, d *docker.Client, cluster string) {
	t.Helper()
	ctx := context.Background()
	since := time.Now()
	vol := cluster + "-witness"
	if _, err := d.CreateVolume(ctx, vol, map[string]string{docker.LabelCluster: cluster}); err != nil {
		t.Fatal(err)
	}
	defer d.RemoveVolume(ctx, vol)
	for _, e := range clusterEvents(t, d, cluster, since) {
		if e.Type == "volume" && e.Action == "create" {
			return
		}
	}
	t.Fatalf("the event witness missed the creation of volume %s", vol)
}

// errorText is what follows "ERROR: " (status lines come before it).
func errorText(stderr string) string {
	_, after, _ := strings.Cut(stderr, "ERROR: ")
	return after
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestCLIEngineDown points DOCKER_HOST at a socket nobody listens on: every
// command that needs the engine fails with one error that says the engine
// is not reachable and where it was looked for, and no panic.
func TestCLIEngineDown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	t.Parallel()
	sock := filepath.Join(t.TempDir(), "no-engine.sock")
	env := []string{"DOCKER_HOST=unix://" + sock}
	const name = "engine-down"
	for _, args := range [][]string{
		{"up", "--name", name, "--port", "17000"},
		{"status", "--name", name},
		{"status", "--name", name, "--json"},
		{"list"},
		{"password", "--name", name},
		{"scale", "--name", name, "--masters", "4"},
		{"rebalance", "--name", name},
		{"failover", "--name", name, "17003"},
		{"heal", "--name", name},
		{"down", "--name", name, "--volumes"},
	} {
		r := run(t, env, args...)
		want := "ERROR: docker engine is not reachable at unix://" + sock
		if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "ERROR") != 1 || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "panic") {
			t.Errorf("redis-dock %s: want exit 1, nothing on stdout, one error %q, got\n%s", strings.Join(args, " "), want, r)
		}
	}
}
