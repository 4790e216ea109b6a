package testutil

import (
	"context"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// Containers lists every container of cluster (nodes and helpers).
func Containers(t testing.TB, d *docker.Client, cluster string) []docker.Container {
	t.Helper()
	cts, err := d.List(context.Background(), cluster)
	if err != nil {
		t.Fatal(err)
	}
	return cts
}

// InspectEach hands the raw `docker inspect` JSON of every container of
// cluster to check, with the container's name.
func InspectEach(t testing.TB, d *docker.Client, cluster string, check func(name string, raw []byte)) {
	t.Helper()
	for _, c := range Containers(t, d, cluster) {
		raw, err := d.InspectRaw(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(c.Name, raw)
	}
}

// AssertNoPasswordInInspect fails t when pw appears in `docker inspect`
// of any container of cluster.
func AssertNoPasswordInInspect(t testing.TB, d *docker.Client, cluster, pw string) {
	t.Helper()
	InspectEach(t, d, cluster, func(name string, raw []byte) {
		if strings.Contains(string(raw), pw) {
			t.Errorf("the password appears in docker inspect of %s", name)
		}
	})
}
