package clitest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// checkHeal runs heal on a healthy cluster (a no-op that exits 0), then
// breaks the cluster twice over (a replica's container stopped, a slot
// left MIGRATING) and asserts status exits non-zero and names the
// trouble, heal repairs it, and status exits 0 again.
func checkHeal(t *testing.T, d *docker.Client, name string, port int, pw string) {
	t.Helper()
	if r := mustRun(t, "heal", "--name", name); !strings.Contains(r.stdout, "is healthy") || strings.Contains(r.stdout, "Closed") {
		t.Fatalf("heal of a healthy cluster: want healthy and nothing closed:\n%s", r)
	}
	st := checkHealthy(t, name, 3, 3)
	replica := stopNode(t, d, name, st.ports("replica")[0])
	if after, r := status(t, name); r.code != 2 || after.Healthy || len(after.Problems) == 0 {
		t.Fatalf("status with a stopped node: want exit 2, not healthy, a problem named:\n%s", r)
	}
	masters := st.ports("master")
	slot := openSlot(t, masters[0], masters[1], pw)
	if after, r := status(t, name); r.code != 2 || len(after.OpenSlots) == 0 {
		t.Fatalf("status with an open slot: want exit 2 and the open slot:\n%s", r)
	}
	if r := run(t, nil, "status", "--name", name); r.code != 2 || !strings.Contains(r.stdout, "State: NOT healthy") || !strings.Contains(r.stdout, "open slots") {
		t.Fatalf("status (table): want exit 2, \"State: NOT healthy\" and the open slot:\n%s", r)
	}
	if err := d.Start(context.Background(), replica); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, "heal", "--name", name)
	if !strings.Contains(r.stdout, "Closed 1 open slots") || !strings.Contains(r.stdout, "is healthy") {
		t.Fatalf("heal: want slot %d closed and healthy:\n%s", slot, r)
	}
	checkHealthy(t, name, 3, 3)
}

// openSlot leaves one of from's slots MIGRATING to another master, as an
// interrupted move would, and returns it.
func openSlot(t *testing.T, from, to int, pw string) int {
	t.Helper()
	ctx := context.Background()
	src := redis.NewClient(&redis.Options{Addr: "localhost:" + strconv.Itoa(from), Password: pw})
	defer src.Close()
	dst := redis.NewClient(&redis.Options{Addr: "localhost:" + strconv.Itoa(to), Password: pw})
	defer dst.Close()
	slot := ownSlot(t, src)
	if err := src.Do(ctx, "CLUSTER", "SETSLOT", slot, "MIGRATING", nodeID(t, dst)).Err(); err != nil {
		t.Fatal(err)
	}
	return slot
}

// stopNode stops the container of the node on port and returns its ID.
func stopNode(t *testing.T, d *docker.Client, name string, port int) string {
	t.Helper()
	cts, err := d.List(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cts {
		if c.Port == port {
			if err := d.Stop(context.Background(), c.ID, 1); err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
	}
	t.Fatalf("no container for port %d", port)
	return ""
}
