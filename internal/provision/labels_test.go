package provision

import (
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// TestSpecLabelKeepsTLSDays: a TLS cluster's label keeps --tls-days, so
// nodes scale adds get certificates as long; a plain cluster's label has
// no such key, and an old label without it reads as the default.
func TestSpecLabelKeepsTLSDays(t *testing.T) {
	s := spec.Default()
	s.TLS, s.TLSDays = true, 30
	got, ok := ParseSpecLabel(map[string]string{docker.LabelSpec: SpecLabel(s)})
	if !ok || got.TLSDays != 30 {
		t.Errorf("TLS label read back with --tls-days %d (ok %v), want 30", got.TLSDays, ok)
	}
	plain := spec.Default()
	plain.TLSDays = 30
	if l := SpecLabel(plain); strings.Contains(l, "tlsDays") {
		t.Errorf("a plain cluster's label carries tlsDays: %s", l)
	}
	old := strings.Replace(SpecLabel(s), `,"tlsDays":30`, "", 1)
	if strings.Contains(old, "tlsDays") {
		t.Fatalf("test label still has tlsDays: %s", old)
	}
	if got, _ := ParseSpecLabel(map[string]string{docker.LabelSpec: old}); got.TLSDays != spec.DefaultTLSDays {
		t.Errorf("an old label reads --tls-days %d, want the default %d", got.TLSDays, spec.DefaultTLSDays)
	}
}
