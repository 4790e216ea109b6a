//go:build !nodeimage

package redisdocktest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/redisdocktest"
)

// exampleT stands in for the *testing.T a real test receives.
type exampleT struct {
	testing.TB
	cleanups []func()
}

func (t *exampleT) Helper()                           {}
func (t *exampleT) Name() string                      { return "ExampleStart" }
func (t *exampleT) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *exampleT) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }
func (t *exampleT) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }

func (t *exampleT) finish() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// ExampleStart starts a real cluster, so it has no "Output:" comment: go
// test compiles it but does not run it. TestIntegrationStart runs the same
// where the engine is.

// In a test, Start gives a healthy cluster in one line; t.Cleanup
// removes it when the test ends.
func ExampleStart() {
	t := &exampleT{} // in a real test: the *testing.T you are given
	defer t.finish()

	c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, Replicas: 1})
	rdb := c.Client()
	ctx := context.Background()
	rdb.Set(ctx, "greeting", "hello", 0)
	fmt.Println(rdb.Get(ctx, "greeting").Val(), len(c.Addrs()))
	// Prints: hello 6
}

// TestIntegrationStart does what ExampleStart shows, against the engine
// (skipped in -short and without an engine unless
// REDIS_DOCK_REQUIRE_DOCKER=1).
func TestIntegrationStart(t *testing.T) {
	testutil.Docker(t) // skips without an engine, unless REDIS_DOCK_REQUIRE_DOCKER=1
	c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, Replicas: 1})
	ctx := context.Background()
	if err := c.Client().Set(ctx, "greeting", "hello", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if got := c.Client().Get(ctx, "greeting").Val(); got != "hello" || len(c.Addrs()) != 6 {
		t.Errorf("got %q and %d nodes, want hello and 6", got, len(c.Addrs()))
	}
}
