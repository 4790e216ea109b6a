package sentinel

import (
	"strconv"
	"syscall"
	"testing"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationSentinelUpInterrupted sends SIGINT to `redis-dock up
// --mode sentinel` (the built binary) once its first container exists: it
// must exit 130, say what it removed, and leave nothing labelled.
func TestIntegrationSentinelUpInterrupted(t *testing.T) {
	d := testutil.ParallelDocker(t)
	s, _ := newSpec(t, d, "sigsen", nil)
	p := testutil.StartCLI(t, "up", "--mode", "sentinel", "--name", s.Name, "--port", strconv.Itoa(s.Port))
	first := p.WaitContainer(t, d, s.Name)
	p.AssertUndone(t, d, syscall.SIGINT, s.Name, first)
}
