package stackplan

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// RewriteYAML reads b (a file compose-go rendered) back, calls fix on the
// key and value of every mapping entry, and writes it out again with a
// 2-space indent: compose-go writes some fields in forms that docker
// stack deploy or docker-compose 1.x refuse. what names the file in
// errors.
func RewriteYAML(b []byte, what string, fix func(key, val *yaml.Node)) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("failed to read back the rendered YAML: %w", err)
	}
	eachEntry(&doc, fix)
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("failed to render the %s: %w", what, err)
	}
	return out.Bytes(), enc.Close()
}

func eachEntry(n *yaml.Node, fix func(key, val *yaml.Node)) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			fix(n.Content[i], n.Content[i+1])
		}
	}
	for _, c := range n.Content {
		eachEntry(c, fix)
	}
}
