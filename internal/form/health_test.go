package form

import (
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/redisx"
)

const (
	idA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	idB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// pair returns the views of a one-shard cluster, master a and replica b,
// whose CLUSTER SLOTS lists the replica on a when listA, on b when listB.
func pair(t *testing.T, listA, listB bool, epB string) []nodeView {
	t.Helper()
	nodes := func(me string) []redisx.ClusterNode {
		text := idA + " 10.0.0.1:7000@17000,localhost master - 0 0 1 connected 0-16383\n" +
			idB + " 10.0.0.2:7001@17001,localhost slave " + idA + " 0 0 1 connected\n"
		ns, err := redisx.ParseNodes(text)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ns {
			if ns[i].ID == me {
				ns[i].Flags = append(ns[i].Flags, "myself")
			}
		}
		return ns
	}
	slots := func(list bool, ep string) []redisx.SlotRange {
		r := redisx.SlotRange{Start: 0, End: 16383, Master: redisx.SlotNode{Endpoint: "localhost", Port: 7000, ID: idA}}
		if list {
			r.Replicas = []redisx.SlotNode{{Endpoint: ep, Port: 7001, ID: idB}}
		}
		return []redisx.SlotRange{r}
	}
	ok := map[string]string{"cluster_state": "ok"}
	return []nodeView{
		{name: "a", info: ok, nodes: nodes(idA), slots: slots(listA, "localhost"), repl: map[string]string{"role": "master"}},
		{name: "b", info: ok, nodes: nodes(idB), slots: slots(listB, epB), repl: map[string]string{"master_link_status": "up"}},
	}
}

func TestJudgeClientView(t *testing.T) {
	tests := []struct {
		name         string
		listA, listB bool
		epB          string
		want         string // a problem that must be reported; "" = healthy
	}{
		{"every node lists the replica", true, true, "localhost", ""},
		{"master leaves out its replica", false, true, "localhost", "CLUSTER SLOTS on a leaves out replica b"},
		{"replica leaves out itself", true, false, "localhost", "CLUSTER SLOTS on b leaves out replica b"},
		{"unknown hostname", true, true, "?", "CLUSTER SLOTS on b gives no endpoint for b"},
		{"endpoints differ", true, true, "10.0.0.2", "nodes disagree on the endpoint of b: [a] vs [b]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := judge(pair(t, tt.listA, tt.listB, tt.epB))
			if tt.want == "" {
				if !h.OK {
					t.Fatalf("want healthy, got %s", h)
				}
				return
			}
			if h.OK || !strings.Contains(h.String(), tt.want) {
				t.Fatalf("want a problem %q, got %s", tt.want, h)
			}
		})
	}
}

func TestParseSlots(t *testing.T) {
	reply := []any{[]any{int64(0), int64(5460),
		[]any{"localhost", int64(7000), idA, []any{"ip", "10.0.0.1"}},
		[]any{"localhost", int64(7003), idB, []any{}}}}
	got, err := redisx.ParseSlots(reply)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Start != 0 || got[0].End != 5460 || got[0].Master.Addr() != "localhost:7000" ||
		got[0].Master.ID != idA || len(got[0].Replicas) != 1 || got[0].Replicas[0].ID != idB {
		t.Fatalf("ParseSlots = %+v", got)
	}
	if _, err := redisx.ParseSlots([]any{[]any{int64(0)}}); err == nil {
		t.Fatal("a malformed entry parsed without error")
	}
}

func TestJudgeRoles(t *testing.T) {
	views := pair(t, true, true, "localhost")
	for i, cn := range views[0].nodes {
		if cn.ID == idB { // a has not heard from b since b's REPLICATE
			views[0].nodes[i].MasterID, views[0].nodes[i].Flags = "", []string{"master"}
		}
	}
	h := judge(views)
	if want := "a sees b as a master, but it is a replica of a"; h.OK || !strings.Contains(h.String(), want) {
		t.Fatalf("want a problem %q, got %s", want, h)
	}
}
