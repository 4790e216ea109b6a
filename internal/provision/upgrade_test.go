package provision

import (
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// TestMajor reads the major number of Redis versions, -1 for none: an
// image without a version is never "older".
func TestMajor(t *testing.T) {
	for v, want := range map[string]int{"7.0.15": 7, "6.2.14": 6, "10.0": 10, "": -1, "unstable": -1} {
		if got := Major(v); got != want {
			t.Errorf("Major(%q) = %d, want %d", v, got, want)
		}
	}
}

// TestCheckVersion: a lower major version is refused, naming the image,
// both versions and the node; the same or a newer one, or a patch or
// minor step down, is not.
func TestCheckVersion(t *testing.T) {
	err := CheckRedisVersion(Options{}, "redis-dock/node:6.2.14", "6.2.14", "7.0.15", "c-7000")
	for _, want := range []string{"--image redis-dock/node:6.2.14", "6.2.14", "7.0.15", "c-7000"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("6.2.14 over 7.0.15: err %v, want one naming %q", err, want)
		}
	}
	for _, next := range []string{"7.0.15", "7.0.1", "7.2.4", "8.0.0"} {
		if err := CheckRedisVersion(Options{}, "i", next, "7.0.15", "c-7000"); err != nil {
			t.Errorf("%s over 7.0.15: %v", next, err)
		}
	}
}

// TestConfigChanges: changed and added single directives can be set at
// runtime; removed ones and ones given more than once need a restart.
func TestConfigChanges(t *testing.T) {
	old := []byte("port 7000\nmaxmemory 10mb\nsave 900 1\nsave 300 10\nnotify-keyspace-events Ex\n")
	new := []byte("port 7000\nmaxmemory 20mb\nsave 60 1\nhz 20\n")
	set, restart := ConfigChanges(old, new)
	if got := formatChanges(set); got != "hz=20 maxmemory=20mb" {
		t.Errorf("set at runtime: %s, want hz=20 maxmemory=20mb", got)
	}
	if strings.Join(restart, " ") != "notify-keyspace-events save" {
		t.Errorf("restart: %v, want notify-keyspace-events save", restart)
	}
}

func formatChanges(cs []ConfigChange) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Key+"="+c.Value)
	}
	return strings.Join(out, " ")
}

// TestConfigHash: the hash follows the node settings, whether there is a
// password but not which, and nothing else of the spec.
func TestConfigHash(t *testing.T) {
	base := spec.Default()
	base.Password = "one"
	h := ConfigHash(base)
	other := base
	other.Password, other.Image, other.Masters = "two", "x:y", 5
	if ConfigHash(other) != h {
		t.Errorf("the hash changed with the password's value, the image or the size")
	}
	for name, edit := range map[string]func(*spec.Spec){
		"config":       func(s *spec.Spec) { s.Config = []string{"maxmemory 1mb"} },
		"node-timeout": func(s *spec.Spec) { s.NodeTimeout++ },
		"appendonly":   func(s *spec.Spec) { s.AppendOnly = !s.AppendOnly },
		"no password":  func(s *spec.Spec) { s.Password = "" },
	} {
		s := base
		edit(&s)
		if ConfigHash(s) == h {
			t.Errorf("%s: the hash did not change", name)
		}
	}
}
