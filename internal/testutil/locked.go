package testutil

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// hostConfig is the part of `docker inspect` a locked node is checked on.
type hostConfig struct {
	HostConfig struct {
		CapDrop        []string
		SecurityOpt    []string
		ReadonlyRootfs bool
		PidsLimit      *int64
		Memory         int64
		NanoCpus       int64
		Tmpfs          map[string]string
	}
}

// AssertLocked checks every container of cluster is locked down, with
// memory and cpus limits (0: none), and returns how many it checked.
func AssertLocked(t testing.TB, d *docker.Client, cluster string, memory, cpus int64) int {
	t.Helper()
	n := 0
	InspectEach(t, d, cluster, func(name string, raw []byte) {
		var c hostConfig
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		h := c.HostConfig
		n++
		if !slices.Equal(h.CapDrop, []string{"ALL"}) || !slices.Contains(h.SecurityOpt, "no-new-privileges") || !h.ReadonlyRootfs ||
			h.PidsLimit == nil || *h.PidsLimit != docker.PidsLimit || h.Tmpfs["/tmp"] == "" {
			t.Errorf("%s: CapDrop %v, SecurityOpt %v, ReadonlyRootfs %v, PidsLimit %v, Tmpfs %v; want [ALL], no-new-privileges, true, %d, /tmp",
				name, h.CapDrop, h.SecurityOpt, h.ReadonlyRootfs, h.PidsLimit, h.Tmpfs, docker.PidsLimit)
		}
		if h.Memory != memory || h.NanoCpus != cpus {
			t.Errorf("%s: Memory %d, NanoCpus %d; want %d and %d", name, h.Memory, h.NanoCpus, memory, cpus)
		}
	})
	return n
}
