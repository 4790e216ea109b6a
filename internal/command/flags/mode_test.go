package flags

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/spec"
)

func TestSpecSentinelMode(t *testing.T) {
	file := func(content string) string {
		p := filepath.Join(t.TempDir(), "spec.yaml")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		args    []string
		masters int
		check   func(s spec.Spec) bool
	}{
		{"cluster default", nil, 3, nil},
		{"sentinel without masters", []string{"--mode", "sentinel"}, 1, nil},
		{"sentinel with masters", []string{"--mode", "sentinel", "--masters", "3"}, 3, nil},
		{"sentinel flags", []string{"--mode", "sentinel", "--sentinels", "5", "--cascade", "--down-after", "1000"}, 1,
			func(s spec.Spec) bool { return s.Sentinels == 5 && s.Cascade && s.DownAfter == 1000 }},
		{"file without masters", []string{"-f", file("mode: sentinel\nreplicas: 2\n")}, 1,
			func(s spec.Spec) bool { return s.Replicas == 2 }},
		{"file with masters", []string{"-f", file("mode: sentinel\nmasters: 2\n")}, 2, nil},
		{"flags over file", []string{"-f", file("mode: sentinel\nsentinels: 3\ndown-after: 2000\n"), "--sentinels", "1"}, 1,
			func(s spec.Spec) bool { return s.Sentinels == 1 && s.DownAfter == 2000 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parse(tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if s.Masters != tt.masters || (tt.check != nil && !tt.check(s)) {
				t.Errorf("Spec(%v) = %+v, want masters %d", tt.args, s, tt.masters)
			}
		})
	}
	for _, args := range [][]string{{"--mode", "sentinel", "--sentinels", "0"}, {"--mode", "sentinel", "--down-after", "0"}} {
		if _, err := parse(args); err == nil || !strings.Contains(err.Error(), args[2]+" 0") {
			t.Errorf("Spec(%v) error = %v, want one naming %s 0", args, err, args[2])
		}
	}
}

func parse(args []string) (spec.Spec, error) {
	sf := NewSpecFlags()
	cmd := &cobra.Command{Use: "up", RunE: func(*cobra.Command, []string) error { return nil }}
	sf.RegisterSwarm(cmd) // every row
	if err := cmd.ParseFlags(args); err != nil {
		return spec.Spec{}, err
	}
	return sf.Spec(cmd)
}
