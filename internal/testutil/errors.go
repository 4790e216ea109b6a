package testutil

import (
	"strings"
	"testing"
)

// ErrorNames checks the error of call (named for the message): nil when
// want is empty, else an error whose text contains every entry of want
// (the flag or field at fault and what is allowed).
func ErrorNames(t testing.TB, call string, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("%s = %v, want nil", call, err)
		}
		return
	}
	if err == nil {
		t.Fatalf("%s = nil, want an error naming %q", call, want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s = %q, want it to contain %q", call, err, w)
		}
	}
}
