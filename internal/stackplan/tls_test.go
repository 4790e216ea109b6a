package stackplan

import (
	"errors"
	"testing"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// TestFromSpecRefusesTLS: compose files and Swarm stacks (both planned by
// FromSpec) refuse --tls until the node image's redis-dock speaks it.
func TestFromSpecRefusesTLS(t *testing.T) {
	s := spec.Default()
	s.TLS = true
	if _, err := FromSpec(s, true); !errors.Is(err, ErrNoTLS) {
		t.Fatalf("FromSpec with --tls: %v, want ErrNoTLS", err)
	}
}
