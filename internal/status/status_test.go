package status

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestDone: a step that ends without an error gets its ✓ line; one that
// fails is left to the deferred End(false), which prints ✗.
func TestDone(t *testing.T) {
	var b bytes.Buffer
	l := NewLogger(&b, 0, false)
	if err := l.Start("good").Done(nil); err != nil || !strings.Contains(b.String(), "✓ good") {
		t.Fatalf("Done(nil) = %v, printed %q", err, b.String())
	}
	b.Reset()
	boom := errors.New("boom")
	st := l.Start("bad")
	if err := st.Done(boom); err != boom || b.Len() != 0 {
		t.Fatalf("Done(boom) = %v, printed %q; want boom and no line yet", err, b.String())
	}
	st.End(false)
	if !strings.Contains(b.String(), "✗ bad") {
		t.Errorf("End(false) after a failed Done printed %q", b.String())
	}
}
