package flags

import (
	"os"

	"gopkg.in/yaml.v3"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// withModeDefaults gives sentinel mode its one master when the user did
// not ask for a number: the default of 3 is cluster mode's. A number
// given explicitly is kept, so validation can name it.
func withModeDefaults(s spec.Spec, mastersGiven bool) spec.Spec {
	if s.Mode == spec.ModeSentinel && !mastersGiven {
		s.Masters = 1
	}
	return s
}

// fileSets reports whether the spec file has a top-level key (LoadFile
// has already read it, so errors here mean false).
func fileSets(path, key string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var m map[string]any
	if yaml.Unmarshal(b, &m) != nil {
		return false
	}
	_, ok := m[key]
	return ok
}
