package clitest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationCLITLS: `up --tls` prints how to get the CA, `tls ca`
// writes it, redis-cli --tls --cacert (a foreign client) uses it, and
// status says the nodes speak TLS only.
func TestIntegrationCLITLS(t *testing.T) {
	d := testutil.ParallelDocker(t)
	name := testutil.UniqueName("clitls")
	port := testutil.FreePortRange(t, 3)
	testutil.RemoveOnCleanup(t, d, name)
	p := strconv.Itoa(port)

	r := mustRun(t, "up", "--name", name, "--port", p, "--replicas", "0", "--tls")
	if want := "redis-cli --tls --cacert " + name + "-ca.pem -c -p " + p; !strings.Contains(r.stdout, want) {
		t.Fatalf("up --tls: want the try-it line %q:\n%s", want, r)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	mustRun(t, "tls", "ca", "--name", name, "--out", ca)
	if pem, err := os.ReadFile(ca); err != nil || !strings.HasPrefix(string(pem), "-----BEGIN CERTIFICATE-----") {
		t.Fatalf("tls ca --out: %q, %v", pem, err)
	}
	if r := mustRun(t, "status", "--name", name); !strings.Contains(r.stdout, "TLS only") || !strings.Contains(r.stdout, "State: healthy") {
		t.Fatalf("status of a TLS cluster:\n%s", r)
	}
	pw := strings.TrimSpace(mustRun(t, "password", "--name", name).stdout)
	cmd := exec.Command("redis-cli", "--tls", "--cacert", ca, "-c", "-p", p, "SET", "greeting", "hello")
	cmd.Env = append(os.Environ(), "REDISCLI_AUTH="+pw)
	if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "OK" {
		t.Fatalf("redis-cli --tls --cacert SET: %v\n%s", err, out)
	}
	if r := run(t, nil, "tls", "client", "--name", name, "--dir", t.TempDir()); r.code == 0 || !strings.Contains(r.stderr, "--tls-client-auth") {
		t.Fatalf("tls client of a cluster without client auth: want an error naming --tls-client-auth:\n%s", r)
	}
	mustRun(t, "down", "--name", name, "--volumes")
}
