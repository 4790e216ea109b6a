package cluster

import (
	"context"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

func TestFindNodes(t *testing.T) {
	h := &handle{spec: spec.Spec{Name: "c"}, cts: []docker.Container{
		{Name: "c-7000", Port: 7000}, {Name: "c-7001", Port: 7001}, {Name: "c-7002", Port: 7002},
	}}
	got, err := h.find([]string{"7001", "c-7002"})
	if err != nil || len(got) != 2 || got[0].Name != "c-7001" || got[1].Name != "c-7002" {
		t.Fatalf("find(7001, c-7002) = %v, %v", got, err)
	}
	if all, err := h.find(nil); err != nil || len(all) != 3 {
		t.Fatalf("find() = %v, %v; want every node", all, err)
	}
	_, err = h.find([]string{"7009"})
	if err == nil || !strings.Contains(err.Error(), `no node "7009" in cluster "c": give a port (7000-7002) or a container name (c-7000)`) {
		t.Fatalf("find(7009): %v", err)
	}
}

func TestInjectUnknownVerb(t *testing.T) {
	_, err := Inject(context.Background(), "c", "explode", nil, Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown fault "explode": want one of kill, stop`) {
		t.Fatalf("got %v", err)
	}
	for verb := range faultActions {
		if !strings.Contains(FaultVerbs, verb) {
			t.Errorf("FaultVerbs does not list %q", verb)
		}
	}
}
