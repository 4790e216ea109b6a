package provision

import (
	"encoding/json"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// SpecLabel is the spec as stored on every container: no secrets, so a
// second `up` can compare and `status` can tell the mode.
func SpecLabel(s spec.Spec) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ParseSpecLabel reads the spec label of a container.
func ParseSpecLabel(labels map[string]string) (spec.Spec, bool) {
	var s spec.Spec
	if err := json.Unmarshal([]byte(labels[docker.LabelSpec]), &s); err != nil {
		return s, false
	}
	return s, true
}

// SpecOf reads the spec label of the first container that carries one:
// compose puts it on the bootstrap helper only, not on the nodes.
func SpecOf(cts []docker.Container) (spec.Spec, bool) {
	for _, c := range cts {
		if s, ok := ParseSpecLabel(c.Labels); ok {
			return s, true
		}
	}
	return spec.Spec{}, false
}
