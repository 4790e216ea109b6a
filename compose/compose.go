package compose

import (
	"fmt"

	"github.com/redis-dock/redis-dock/internal/netmode"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
)

// Spec is a cluster's spec, the same type as redisdock.Spec.
type Spec = spec.Spec

// Files says where the configs and the password file a compose file
// refers to are.
type Files = stackplan.Files

// Rendered is a compose file and what it needs beside it.
type Rendered struct {
	YAML              []byte
	Files             Files
	Spec              Spec // with the subnet and password settled
	GeneratedPassword bool // a random password was written to Files.Password
}

// Render renders cluster s (bridge networking) as a compose file and
// writes the node configs and the password it refers to into dir
// (default ./<name>-compose). A password file already in dir is kept.
func Render(s Spec, dir string) (*Rendered, error) {
	if m, err := netmode.Lookup(s.Network); err != nil || m != netmode.Bridge { // a compose file is the bridge mode written down
		return nil, fmt.Errorf("--network %s: compose files are rendered for bridge networks only", s.Network)
	}
	if s.Subnet == "" {
		s.Subnet = stackplan.DefaultBridgeSubnet(s.Name).String()
	}
	p, err := stackplan.FromSpec(s, s.Endpoint == spec.EndpointHostname)
	if err != nil {
		return nil, err
	}
	if dir == "" {
		dir = p.Spec.Name + "-compose"
	}
	stackplan.KeepPassword(p, dir)
	generated, err := p.Spec.ResolvePassword()
	if err != nil {
		return nil, err
	}
	files, err := stackplan.WriteFiles(p, dir, p.Spec.PasswordFile)
	if err != nil {
		return nil, err
	}
	yml, err := renderPlan(p, files)
	if err != nil {
		return nil, err
	}
	return &Rendered{YAML: yml, Files: files, Spec: p.Spec, GeneratedPassword: generated}, nil
}
