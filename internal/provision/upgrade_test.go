package provision

import (
	"strings"
	"testing"
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
