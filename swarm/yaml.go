package swarm

import (
	"bytes"
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
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
// writes ("0400") to numbers (256 # 0400): `docker stack deploy` accepts
// only numbers there, and a decimal number means the same to every YAML
// reader, which a leading-zero octal does not.
func NumericModes(b []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("failed to read back the rendered YAML: %w", err)
	}
	fixModes(&doc)
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("failed to render the stack file: %w", err)
	}
	return out.Bytes(), enc.Close()
}

func fixModes(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "mode" && v.Kind == yaml.ScalarNode && v.Tag == "!!str" {
				if m, err := strconv.ParseInt(v.Value, 8, 32); err == nil {
					v.Tag, v.Style, v.LineComment = "!!int", 0, "# "+v.Value
					v.Value = strconv.FormatInt(m, 10)
				}
			}
		}
	}
	for _, c := range n.Content {
		fixModes(c)
	}
}
