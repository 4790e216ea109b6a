package swarm

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// Render renders the stack file.
func Render(p *Plan, f Files, pl Placement) ([]byte, error) {
	b, err := Project(p, f, pl).MarshalYAML()
	if err != nil {
		return nil, fmt.Errorf("failed to render the stack file: %w", err)
	}
	return NumericModes(b)
}

// NumericModes rewrites file modes from the octal strings compose-go
// writes ("0400") to numbers (256 # 0400), and tmpfs sizes from strings
// to numbers: `docker stack deploy` accepts only numbers there, and a
// decimal number means the same to every YAML reader, which a
// leading-zero octal does not.
func NumericModes(b []byte) ([]byte, error) {
	return stackplan.RewriteYAML(b, "stack file", func(k, v *yaml.Node) {
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
			return
		}
		switch k.Value {
		case "mode":
			if m, err := strconv.ParseInt(v.Value, 8, 32); err == nil {
				v.Tag, v.Style, v.LineComment = "!!int", 0, "# "+v.Value
				v.Value = strconv.FormatInt(m, 10)
			}
		case "size": // a tmpfs size in bytes: the stack file schema wants an integer
			if _, err := strconv.ParseInt(v.Value, 10, 64); err == nil {
				v.Tag, v.Style = "!!int", 0
			}
		}
	})
}
