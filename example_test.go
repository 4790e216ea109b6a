//go:build !nodeimage

package redisdock_test

import (
	"context"
	"fmt"

	redisdock "github.com/redis-dock/redis-dock"
)

// The examples start real clusters, so they have no "Output:" comment:
// go test compiles them but does not run them (they would fail without
// an engine and in -short). TestIntegrationExamples runs them where the
// engine is, and checks what they print ("Prints:" below).

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
