package clitest

import (
	"path/filepath"
	"strings"
	"testing"
)

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
