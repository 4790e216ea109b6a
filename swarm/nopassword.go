package swarm

import (
	"errors"

	"github.com/redis-dock/redis-dock/internal/netmode"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// ErrNoPassword refuses --no-password for stacks: the overlay mode's rule
// (see netmode.ErrOverlayNoPassword).
var ErrNoPassword = netmode.ErrOverlayNoPassword

// CheckSpec refuses what a stack cannot run safely, before anything is
// made: stack render and swarm up call it first. The rules are the
// overlay network mode's.
func CheckSpec(s spec.Spec) error {
	n := s.Net()
	return errors.Join(netmode.Overlay.Validate(n.Params)...)
}
