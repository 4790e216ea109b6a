package spec

import "encoding/json"

// Label is the spec as stored in the redis-dock.spec label of containers
// and services: JSON, with no secret in it (the password is never part of
// it), so a second `up` can compare and `status` can tell the shape.
// --tls-days is kept for a TLS cluster only: nodes added later get
// certificates as long.
func (s Spec) Label() string {
	if !s.TLS {
		s.TLSDays = 0
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// ParseLabel reads a label written by Label. A label written before
// --tls-days was kept in it reads as the default.
func ParseLabel(v string) (Spec, error) {
	s := Spec{TLSDays: DefaultTLSDays}
	err := json.Unmarshal([]byte(v), &s)
	return s, err
}
