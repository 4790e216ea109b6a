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

// UpAgain checks what up does where its cluster exists: the same spec s
// finds it (up reports it existing), and s changed by edit is refused
// with an error naming flag, the setting that differs.
func UpAgain[S any](t testing.TB, up func(S) (existing bool, err error), s S, edit func(*S), flag string) {
	t.Helper()
	if existing, err := up(s); err != nil || !existing {
		t.Fatalf("second up with the same spec: existing=%v err=%v", existing, err)
	}
	other := s
	edit(&other)
	if _, err := up(other); err == nil || !strings.Contains(err.Error(), flag) {
		t.Fatalf("up with another spec: want an error naming %s, got %v", flag, err)
	}
}
