package swarm

import (
	"errors"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// ErrNoPassword refuses --no-password for stacks. Unlike a bridge, whose
// ports are published on a loopback --host-ip, a stack's ports go through
// the ingress routing mesh on every address of every Swarm node, and its
// overlay is attachable from any container on any of them: nothing keeps
// an open cluster local.
var ErrNoPassword = errors.New("--no-password: a Swarm stack publishes its ports on every address of every swarm node " +
	"(the ingress mesh has no --host-ip) and any container can attach to its overlay; " +
	"give a password (--password-file) or let one be generated")

// CheckSpec refuses what a stack cannot run safely, before anything is
// made: stack render and swarm up call it first.
func CheckSpec(s spec.Spec) error {
	if s.NoPassword {
		return ErrNoPassword
	}
	return nil
}
