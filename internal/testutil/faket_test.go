package testutil

import (
	"fmt"
	"runtime"
	"testing"
)

// fakeT records whether a helper failed the test it was given, so the
// helpers' own tests can check that they fail when they must.
type fakeT struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Errorf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}

// run calls fn with a fakeT on its own goroutine (Fatalf ends it) and
// returns the fakeT once fn is done.
func run(t *testing.T, fn func(tb testing.TB)) *fakeT {
	f := &fakeT{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); fn(f) }()
	<-done
	return f
}
