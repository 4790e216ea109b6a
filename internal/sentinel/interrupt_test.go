package sentinel

import (
	"context"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationSentinelUpInterrupted sends SIGINT to `redis-dock up
// --mode sentinel` (the built binary) once its first container exists: it
// must exit 130, say what it removed, and leave nothing labelled.
func TestIntegrationSentinelUpInterrupted(t *testing.T) {
	d := testutil.ParallelDocker(t)
	s, _ := newSpec(t, d, "sigsen", nil)
	p := testutil.StartCLI(t, "up", "--mode", "sentinel", "--name", s.Name, "--port", strconv.Itoa(s.Port))
	var first string
	for first == "" {
		cts, err := d.List(context.Background(), s.Name)
		if err != nil {
			t.Fatal(err)
		}
		if len(cts) > 0 {
			first = cts[0].Name
			break
		}
		select {
		case <-p.Done():
			t.Fatalf("up ended before creating a container:\n%s", p.Stderr())
		case <-time.After(20 * time.Millisecond):
		}
	}
	p.Signal(t, syscall.SIGINT)
	code, stderr := p.Wait()
	if code != 130 {
		t.Errorf("exit code %d after SIGINT, want 130; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "removed what this run created") || !strings.Contains(stderr, first) {
		t.Errorf("stderr does not list what was removed (%s among it):\n%s", first, stderr)
	}
	testutil.AssertNothingLeft(t, d, s.Name)
}
