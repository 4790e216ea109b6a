package templates

import (
	"strings"
	"testing"
)

func TestRenderNode(t *testing.T) {
	tests := []struct {
		name     string
		settings Settings
		node     Node
		want     []string // lines the config holds
		not      []string // directives it leaves out
	}{
		{"cluster hostname", Settings{Cluster: true, NodeTimeout: 5000, Password: "pw", AppendOnly: true},
			Node{Port: 7000, AnnounceHostname: "localhost"},
			[]string{"bind 0.0.0.0", "dir \"/data\"", "cluster-port 17000", "cluster-node-timeout 5000",
				`requirepass "pw"`, `cluster-announce-hostname "localhost"`, "cluster-preferred-endpoint-type hostname", "appendonly yes"},
			nil},
		{"replica without cluster", Settings{ProtectedMode: true, Extra: []string{"maxmemory 1mb"}},
			Node{Port: 7001, Bind: []string{"127.0.0.1"}, AnnounceHostname: "localhost", ReplicaOf: "10.0.0.1 7000", AnnounceIP: "192.0.2.1"},
			[]string{"bind 127.0.0.1", "protected-mode yes", "replicaof 10.0.0.1 7000", "replica-announce-ip 192.0.2.1", "maxmemory 1mb"},
			[]string{"cluster-enabled", "cluster-announce-hostname", "requirepass", "masterauth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conf, err := RenderNode(tt.settings, tt.node)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range tt.want {
				if !strings.Contains(string(conf), "\n"+line+"\n") {
					t.Errorf("config lacks %q:\n%s", line, conf)
				}
			}
			for _, name := range tt.not {
				if _, ok := Directive(conf, name); ok {
					t.Errorf("config sets %s:\n%s", name, conf)
				}
			}
		})
	}
}
