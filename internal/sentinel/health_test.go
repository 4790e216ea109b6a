package sentinel

import (
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/redisx"
)

// healthy is a group of a master (7000), a replica (7001) and two
// sentinels, as gather would report it.
func healthy() *Status {
	st := &Status{Nodes: []DataStatus{
		{Name: "m", Port: 7000, Container: "running", repl: redisx.Replication{Role: "master", Offset: 500,
			Replicas: []redisx.ReplicaInfo{{IP: "10.0.0.11", Port: 7001, State: "online", Offset: 480}}}},
		{Name: "r", Port: 7001, Container: "running", repl: redisx.Replication{Role: "slave", MasterHost: "10.0.0.10",
			MasterPort: 7000, LinkUp: true, Offset: 480}},
	}}
	for i := range st.Nodes {
		d := &st.Nodes[i]
		d.Role, d.Offset, d.Replicas = "master", d.repl.Offset, len(d.repl.Replicas)
		if !d.repl.IsMaster() {
			d.Role, d.Link = "replica", "up"
		}
	}
	for _, name := range []string{"s1", "s2"} {
		st.Sentinels = append(st.Sentinels, SentinelView{Name: name, Container: "running", Master: "10.0.0.10:7000",
			Flags: "master", Replicas: 1, Sentinels: 1, QuorumOK: true})
	}
	relate(st)
	return st
}

func TestRelate(t *testing.T) {
	st := healthy()
	if st.Master != "m" || st.Nodes[1].Follows != "m" || st.Nodes[1].Lag != 20 {
		t.Errorf("master %q, replica follows %q with lag %d; want m, m, 20", st.Master, st.Nodes[1].Follows, st.Nodes[1].Lag)
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name string
		edit func(st *Status)
		want []string // empty: healthy
	}{
		{"healthy", func(*Status) {}, nil},
		{"master down", func(st *Status) { st.Nodes[0] = DataStatus{Name: "m", Port: 7000, Error: "container not running"} },
			[]string{"m: container not running", "no data node says it is the master"}},
		{"two masters", func(st *Status) { st.Nodes[1].Role = "master" }, []string{"2 data nodes say they are the master: m, r"}},
		{"link down", func(st *Status) { st.Nodes[1].Link = "down" }, []string{"replica r: link to m is down"}},
		{"foreign upstream", func(st *Status) { st.Nodes[1].Follows = "10.9.9.9:6379" }, []string{"replica r follows 10.9.9.9:6379"}},
		{"stale sentinel", func(st *Status) { st.Sentinels[0].Master = "10.0.0.11:7001" }, []string{"sentinel s1 hands out 10.0.0.11:7001 as the master, but m is"}},
		{"sdown", func(st *Status) { st.Sentinels[1].Flags = "master,s_down" }, []string{"sentinel s2 flags the master master,s_down"}},
		{"lonely sentinel", func(st *Status) { st.Sentinels[0].Sentinels = 0 }, []string{"sentinel s1 knows 0 other sentinels, want 1"}},
		{"replicas unknown", func(st *Status) { st.Sentinels[0].Replicas = 0 }, []string{"sentinel s1 hands out 0 usable replicas of the master, which has 1"}},
		{"no quorum", func(st *Status) {
			st.Sentinels[1].QuorumOK, st.Sentinels[1].Quorum = false, "NOQUORUM 1 usable Sentinels"
		},
			[]string{"sentinel s2 cannot reach its quorum: NOQUORUM"}},
		{"sentinel gone", func(st *Status) { st.Sentinels[1] = SentinelView{Name: "s2", Error: "container not running"} },
			[]string{"sentinel s2: container not running"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := healthy()
			tt.edit(st)
			got := judge(st, 2)
			if len(tt.want) == 0 {
				if len(got) > 0 {
					t.Fatalf("judge = %q, want healthy", got)
				}
				return
			}
			all := strings.Join(got, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("judge = %q, want a problem containing %q", got, w)
				}
			}
		})
	}
}
