package flags

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"gopkg.in/yaml.v3"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// withModeDefaults gives sentinel mode its one master when the user did
// not ask for a number: the default of 3 is cluster mode's. A number
// given explicitly is kept, so validation can name it. In the spec, zero
// sentinels or down-after mean the default; typed as a flag, zero is a
// mistake.
func withModeDefaults(cmd *cobra.Command, s spec.Spec, mastersGiven bool) (spec.Spec, error) {
	if s.Mode == spec.ModeSentinel && !mastersGiven {
		s.Masters = 1
	}
	for _, f := range []struct {
		name string
		zero bool
	}{{"sentinels", s.Sentinels == 0}, {"down-after", s.DownAfter == 0}} {
		if f.zero && cmd.Flags().Changed(f.name) {
			return s, fmt.Errorf("--%s 0: give a positive number, or leave the flag out for the default", f.name)
		}
	}
	return s, nil
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
