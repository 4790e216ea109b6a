//go:build !nodeimage

package redisdock_test

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// TestIntegrationExamples runs the examples against the engine, as the
// integration tests run (skipped in -short and without an engine unless
// REDIS_DOCK_REQUIRE_DOCKER=1), and checks what each prints.
func TestIntegrationExamples(t *testing.T) {
	requireEngine(t)
	for _, ex := range []struct {
		name string
		run  func()
		want string
	}{
		{"ExampleUp", ExampleUp, "healthy: true nodes: 6\n"},
	} {
		t.Run(ex.name, func(t *testing.T) {
			if got := captureStdout(t, ex.run); got != ex.want {
				t.Errorf("%s printed %q, want %q", ex.name, got, ex.want)
			}
		})
	}
}

// captureStdout runs f with os.Stdout going to a pipe, as go test does for
// examples, and returns what f printed; a panic (an example's Fatalf)
// fails t instead of ending the test binary.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	out := make(chan string)
	go func() {
		var b bytes.Buffer
		_, _ = io.Copy(&b, r)
		out <- b.String()
	}()
	var panicked any
	func() {
		defer func() { panicked = recover() }()
		f()
	}()
	os.Stdout = stdout
	w.Close()
	got := <-out
	r.Close()
	if panicked != nil {
		t.Fatalf("panicked: %v (printed %q)", panicked, got)
	}
	return got
}
