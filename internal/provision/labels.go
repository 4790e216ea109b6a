package provision

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// SpecLabel is the spec as stored on every container (spec.Label).
func SpecLabel(s spec.Spec) string { return s.Label() }

// ParseSpecLabel reads the spec label of a container (spec.ParseLabel).
func ParseSpecLabel(labels map[string]string) (spec.Spec, bool) {
	s, err := spec.ParseLabel(labels[docker.LabelSpec])
	return s, err == nil
}

// Find lists the containers of the cluster named name (nodes and
// helpers), and fails with the --name error when there are none.
func Find(ctx context.Context, d *docker.Client, name string) ([]docker.Container, error) {
	cts, err := d.List(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(cts) == 0 {
		return nil, fmt.Errorf("--name %s: no such cluster (see `redis-dock list`)", name)
	}
	return cts, nil
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

// ConfigHash names the node settings of s (what every node's redis.conf
// shares, spec.NodeSettings) without the password itself: two specs with
// the same hash render the same configs. s must carry the cluster's
// password (or none), since protected mode follows from it.
func ConfigHash(s spec.Spec) string {
	set := s.NodeSettings()
	if set.Password != "" {
		set.Password = "set" // whether there is one, never what it is
	}
	b, _ := json.Marshal(set)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
