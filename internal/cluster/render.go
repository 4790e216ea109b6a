package cluster

import (
	"errors"
	"fmt"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// ConfigFile is one rendered node config.
type ConfigFile struct {
	Name string // redis-<port>.conf
	Port int
	Data []byte
}

// RenderConfigs renders every node's redis.conf for a spec, with dir as
// the data directory. A missing password is generated, as in Up.
func RenderConfigs(s spec.Spec, dir string) ([]ConfigFile, error) {
	if s.TLS {
		return nil, errors.New("--tls: config render writes no certificates yet; use `redis-dock up --tls`")
	}
	if s.ACL() {
		return nil, errors.New("--user and --no-default-user: config render does not write ACL users yet (their passwords would be known nowhere); use `redis-dock up --user`")
	}
	if _, err := s.ResolvePassword(); err != nil {
		return nil, err
	}
	var out []ConfigFile
	for _, n := range planFor(s).Nodes {
		data, err := renderNodeIn(s, n, dir)
		if err != nil {
			return nil, err
		}
		out = append(out, ConfigFile{Name: fmt.Sprintf("redis-%d.conf", n.Port), Port: n.Port, Data: data})
	}
	return out, nil
}
