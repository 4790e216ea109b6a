package spec

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	units "github.com/docker/go-units"
)

// MinMemory is the smallest --memory: redis-server, its buffers and a
// fork for a save need some room.
const MinMemory = 32 << 20

// MaxMemoryPercent is the share of --memory that maxmemory gets: the
// rest is for replication and client buffers, the copy-on-write pages of
// a save's fork and the process itself (keys over maxmemory get evicted
// or refused instead of the kernel killing the node).
const MaxMemoryPercent = 75

// MemoryBytes is --memory in bytes (0 when unset).
func (s Spec) MemoryBytes() (int64, error) {
	if s.Memory == "" {
		return 0, nil
	}
	n, err := units.RAMInBytes(strings.TrimSpace(s.Memory))
	if err != nil || n < MinMemory {
		return 0, fmt.Errorf("--memory %q: want a size of at least 32m, such as 512m or 2g (units b, k, m, g)", s.Memory)
	}
	return n, nil
}

// NanoCPUs is --cpus in billionths of a CPU (0 when unset).
func (s Spec) NanoCPUs() (int64, error) {
	if s.CPUs == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s.CPUs), 64)
	if err != nil || math.IsNaN(f) || f < 0.01 || f > 1024 {
		return 0, fmt.Errorf("--cpus %q: want a number of CPUs from 0.01 to 1024, such as 0.5 or 2", s.CPUs)
	}
	return int64(math.Round(f * 1e9)), nil
}

// maxMemory is the maxmemory directive --memory implies, "" without
// --memory or when --config sets maxmemory itself.
func (s Spec) maxMemory() string {
	n, err := s.MemoryBytes()
	if err != nil || n == 0 {
		return ""
	}
	for _, c := range s.Config {
		if f := strings.Fields(c); len(f) > 0 && strings.EqualFold(f[0], "maxmemory") {
			return ""
		}
	}
	return fmt.Sprintf("maxmemory %d", n*MaxMemoryPercent/100)
}

// validateLimits checks --memory and --cpus.
func (s Spec) validateLimits() []error {
	var errs []error
	if _, err := s.MemoryBytes(); err != nil {
		errs = append(errs, err)
	}
	if _, err := s.NanoCPUs(); err != nil {
		errs = append(errs, err)
	}
	return errs
}
