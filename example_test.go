package redisdock_test

import (
	"context"
	"fmt"
	"testing"

	redisdock "github.com/redis-dock/redis-dock"
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

// The examples start real clusters, so they have no "Output:" comment:
// go test compiles them but does not run them (they would fail without
// an engine and in -short). TestIntegrationExamples runs them where the
// engine is, and checks what they print ("Prints:" below).

// In a test, Start gives a healthy cluster in one line; t.Cleanup
// removes it when the test ends.
func ExampleStart() {
	t := &exampleT{} // in a real test: the *testing.T you are given
	defer t.finish()

	c := redisdock.Start(t, redisdock.Options{Masters: 3, Replicas: 1})
	rdb := c.Client()
	ctx := context.Background()
	rdb.Set(ctx, "greeting", "hello", 0)
	fmt.Println(rdb.Get(ctx, "greeting").Val(), len(c.Addrs()))
	// Prints: hello 6
}

// Up and Down serve programs that are not tests.
func ExampleUp() {
	ctx := context.Background()
	s := redisdock.DefaultSpec()
	s.Name = "example-up-" + redisdock.RandomSuffix()
	port, err := redisdock.FreePorts(s.Nodes())
	if err != nil {
		fmt.Println(err)
		return
	}
	s.Port, s.AppendOnly = port, false
	c, err := redisdock.Up(ctx, s)
	if err != nil {
		fmt.Println("up:", err)
		return
	}
	defer redisdock.Down(ctx, s.Name, true)
	defer c.Close()
	st, _ := c.Status(ctx)
	fmt.Println("healthy:", st.Healthy, "nodes:", len(st.Nodes))
	// Prints: healthy: true nodes: 6
}
