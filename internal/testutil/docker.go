// Package testutil holds helpers shared by integration tests: a Docker
// client that fails or skips per REDIS_DOCK_REQUIRE_DOCKER, unique names,
// and free loopback ports.
package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// RequireDocker is the variable that turns a missing engine into a failure.
const RequireDocker = "REDIS_DOCK_REQUIRE_DOCKER"

// Docker returns a client for the local engine. Without an engine the test
// fails when REDIS_DOCK_REQUIRE_DOCKER=1 and is skipped otherwise.
func Docker(t testing.TB) *docker.Client {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test skipped in -short mode")
	}
	c, err := docker.New()
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = c.Ping(ctx)
	}
	if err != nil {
		if os.Getenv(RequireDocker) == "1" {
			t.Fatalf("%s=1 but no docker engine answers: %v", RequireDocker, err)
		}
		t.Skipf("no docker engine: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ParallelDocker starts an integration test that runs in parallel with the
// others: t.Parallel, then Docker(t).
func ParallelDocker(t *testing.T) *docker.Client {
	t.Helper()
	t.Parallel()
	return Docker(t)
}

// UniqueName returns a cluster name unique to this test run: prefix plus
// random hex, valid as a redis-dock cluster name.
func UniqueName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return strings.ToLower(prefix) + "-" + hex.EncodeToString(b)
}

// FreePortRange finds n consecutive TCP ports free on 127.0.0.1, in a
// random range, 10000..22767, so that their bus ports (port+10000) also
// stay below the kernel's ephemeral ports (32768+).
func FreePortRange(t testing.TB, n int) int {
	t.Helper()
	for try := 0; try < 200; try++ {
		b := make([]byte, 2)
		_, _ = rand.Read(b)
		base := 10000 + (int(b[0])<<8|int(b[1]))%(12768-n) // below the ephemeral range, bus ports too
		if reserve(base, n) {
			return base
		}
	}
	t.Fatalf("no %d free consecutive ports found", n)
	return 0
}

var (
	portMu   sync.Mutex
	reserved = map[int]bool{}
)

// reserve claims base..base+n-1 (and their bus ports) for this process
// when they are free on loopback and not handed out before.
func reserve(base, n int) bool {
	portMu.Lock()
	defer portMu.Unlock()
	for p := base; p < base+n; p++ {
		if reserved[p] || reserved[p+10000] {
			return false
		}
	}
	if !portsFree(base, n) || !portsFree(base+10000, n) {
		return false
	}
	for p := base; p < base+n; p++ {
		reserved[p], reserved[p+10000] = true, true
	}
	return true
}

func portsFree(base, n int) bool {
	if base+n+10000 > 65535 {
		return false
	}
	for p := base; p < base+n; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}

// FreeSubnet returns a subnet no network of the engine uses, as up picks
// one for a bridge cluster.
func FreeSubnet(t testing.TB, d *docker.Client) netip.Prefix {
	t.Helper()
	used, err := d.UsedSubnets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	subnet, err := docker.FreeSubnet(used)
	if err != nil {
		t.Fatal(err)
	}
	return subnet
}
