package compose

import (
	"gopkg.in/yaml.v3"

	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// shortPorts rewrites each port from the long form compose-go writes to
// the short "host_ip:published:target/protocol" form: docker-compose 1.x
// (still what Debian ships) refuses host_ip in the long form, and every
// compose reads the short one.
func shortPorts(b []byte) ([]byte, error) {
	return stackplan.RewriteYAML(b, "compose file", func(k, v *yaml.Node) {
		if k.Value != "ports" || v.Kind != yaml.SequenceNode {
			return
		}
		for j, p := range v.Content {
			if s, ok := short(p); ok {
				v.Content[j] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
			}
		}
	})
}

// short renders one long-form port mapping, if it only uses fields the
// short form has.
func short(p *yaml.Node) (string, bool) {
	if p.Kind != yaml.MappingNode {
		return "", false
	}
	f := map[string]string{}
	for i := 0; i+1 < len(p.Content); i += 2 {
		f[p.Content[i].Value] = p.Content[i+1].Value
	}
	for k := range f {
		switch k {
		case "host_ip", "published", "target", "protocol", "mode":
		default:
			return "", false
		}
	}
	if f["target"] == "" || (f["mode"] != "" && f["mode"] != "ingress") {
		return "", false
	}
	s := f["target"]
	if f["published"] != "" {
		s = f["published"] + ":" + s
		if f["host_ip"] != "" {
			s = f["host_ip"] + ":" + s
		}
	}
	if f["protocol"] != "" {
		s += "/" + f["protocol"]
	}
	return s, true
}
