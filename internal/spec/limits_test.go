package spec

import (
	"slices"
	"strings"
	"testing"
)

func TestMemoryAndCPUs(t *testing.T) {
	s := Default()
	s.Memory, s.CPUs = "1g", "1.5"
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.NanoCPUs(); n != 1_500_000_000 {
		t.Errorf("--cpus 1.5: %d nano CPUs", n)
	}
	if got := s.NodeSettings().Extra; !slices.Contains(got, "maxmemory 805306368") {
		t.Errorf("--memory 1g: extra %v, want maxmemory 805306368 (75%%)", got)
	}
	s.Config = []string{"maxmemory 100mb"}
	if got := s.NodeSettings().Extra; !slices.Equal(got, []string{"maxmemory 100mb"}) {
		t.Errorf("--config maxmemory given: extra %v, want only it", got)
	}
	for _, bad := range []struct{ mem, cpus, want string }{
		{"10m", "", "--memory \"10m\""}, {"lots", "", "--memory"}, {"", "0", "--cpus \"0\""}, {"", "two", "--cpus"}, {"", "2000", "--cpus"},
	} {
		s := Default()
		s.Memory, s.CPUs = bad.mem, bad.cpus
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("--memory %q --cpus %q: err %v, want one naming %s", bad.mem, bad.cpus, err, bad.want)
		}
	}
}
