package sentinel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/swarm"
	"github.com/redis-dock/redis-dock/templates"
)

// nodeOwned are the directives that differ by node, network mode or path
// (where a node listens, what it announces, whom it replicates); all the
// other lines of a redis.conf come from the spec's NodeSettings.
var nodeOwned = map[string]bool{
	"bind": true, "dir": true, "cluster-announce-ip": true, "replica-announce-ip": true,
	"cluster-announce-hostname": true, "cluster-preferred-endpoint-type": true, "replicaof": true,
}

// sharedLines are conf's lines without comments and node-owned directives.
func sharedLines(conf []byte) []string {
	var out []string
	for _, line := range strings.Split(string(conf), "\n") {
		name, _, _ := strings.Cut(line, " ")
		if line != "" && !strings.HasPrefix(line, "#") && !nodeOwned[name] {
			out = append(out, line)
		}
	}
	return out
}

// TestEveryPathRendersTheSpecsSettings renders the node on port 7001
// through every path that writes a redis.conf (cluster, sentinel data
// nodes, compose and Swarm base configs) and compares each with
// templates.RenderNode of the spec's NodeSettings: a setting added to
// NodeSettings and the template reaches all of them, or this fails.
func TestEveryPathRendersTheSpecsSettings(t *testing.T) {
	edit := func(s *spec.Spec) {
		s.Name, s.Port, s.Password, s.NodeTimeout, s.AppendOnly = "paths", 7000, "s3cret", 4321, false
		s.Config = []string{"maxmemory 7mb", `save ""`}
	}
	clusterSpec := func(network string) spec.Spec {
		s := spec.Default()
		edit(&s)
		s.Network, s.Masters, s.Replicas = network, 3, 1
		s.Normalize()
		return s
	}
	sentinelSpec := func(network string) spec.Spec {
		s := testSpec(edit)
		s.Network = network
		s.Normalize()
		return s
	}
	stackConf := func(t *testing.T, s spec.Spec, hostname bool, write func(*stackplan.Plan, string) error) []byte {
		p, err := stackplan.FromSpec(s, hostname)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := write(p, dir); err != nil {
			t.Fatal(err)
		}
		conf, err := os.ReadFile(filepath.Join(dir, stackplan.ConfigFile(7001)))
		if err != nil {
			t.Fatal(err)
		}
		return conf
	}
	tests := []struct {
		path    string
		spec    spec.Spec
		render  func(*testing.T, spec.Spec) []byte
		secrets bool // the password is in the file (not added at start)
	}{
		{"cluster bridge", clusterSpec(spec.NetworkBridge), renderCluster, true},
		{"cluster host", clusterSpec(spec.NetworkHost), renderCluster, true},
		{"sentinel bridge", sentinelSpec(spec.NetworkBridge), renderSentinelData, true},
		{"sentinel host", sentinelSpec(spec.NetworkHost), renderSentinelData, true},
		{"compose", clusterSpec(spec.NetworkBridge), func(t *testing.T, s spec.Spec) []byte {
			return stackConf(t, s, s.Endpoint == spec.EndpointHostname, func(p *stackplan.Plan, dir string) error {
				_, err := stackplan.WriteFiles(p, dir, "")
				return err
			})
		}, false},
		{"swarm", clusterSpec(spec.NetworkBridge), func(t *testing.T, s spec.Spec) []byte {
			return stackConf(t, s, false, func(p *stackplan.Plan, dir string) error {
				_, err := swarm.WriteFiles(p, dir, "")
				return err
			})
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			settings := tt.spec.NodeSettings()
			if !tt.secrets {
				settings.Password = ""
			}
			ref, err := templates.RenderNode(settings, templates.Node{Name: "paths-7001", Port: 7001, BusPort: 17001})
			if err != nil {
				t.Fatal(err)
			}
			got := tt.render(t, tt.spec)
			if g, w := strings.Join(sharedLines(got), "\n"), strings.Join(sharedLines(ref), "\n"); g != w {
				t.Errorf("%s renders\n%s\nwant the spec's settings\n%s", tt.path, g, w)
			}
			for _, line := range []string{"maxmemory 7mb", "appendonly no"} {
				if !strings.Contains(string(got), "\n"+line+"\n") {
					t.Errorf("%s lacks %q", tt.path, line)
				}
			}
		})
	}
}

func renderCluster(t *testing.T, s spec.Spec) []byte {
	files, err := cluster.RenderConfigs(s, "/data")
	if err != nil {
		t.Fatal(err)
	}
	return files[1].Data
}

func renderSentinelData(t *testing.T, s spec.Spec) []byte {
	nodes := plan(s, subnet)
	conf, err := renderData(s, nodes, nodes[1])
	if err != nil {
		t.Fatal(err)
	}
	return conf
}
