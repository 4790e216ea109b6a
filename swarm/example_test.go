//go:build !nodeimage

package swarm_test

import (
	"bytes"
	"fmt"
	"log"
	"os"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/swarm"
)

// ExampleRender renders a stack file from a program outside this module:
// every name it uses is public.
func ExampleRender() {
	dir, err := os.MkdirTemp("", "stack")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s := redisdock.DefaultSpec()
	s.Name, s.Subnet, s.Password = "shop", "10.214.7.0/24", "secret"
	p, err := swarm.NewPlan(s)
	if err != nil {
		log.Fatal(err)
	}
	files, err := swarm.WriteFiles(p, dir, "")
	if err != nil {
		log.Fatal(err)
	}
	yml, err := swarm.Render(p, files, swarm.Placement{})
	if err != nil {
		log.Fatal(err)
	}
	// Deploying it takes a manager: swarm.Connect, then
	// swarm.Up(ctx, s, swarm.Options{Docker: d, Logger: swarm.NewLogger(os.Stderr, 0)}).
	fmt.Println(len(p.Nodes), "nodes;", bytes.Contains(yml, []byte("subnet: 10.214.7.0/24")))
	// Output: 6 nodes; true
}
