package netmode

import (
	"errors"
	"net/netip"
)

// Overlay is a Swarm stack's attachable overlay network (package swarm
// builds it). It is not a --network value: `swarm up` and `stack render`
// choose it, so it is not registered.
var Overlay Mode = overlay{}

// OverlayKey is the overlay's key in a stack file; the network is named
// <stack>_<key>, as `docker stack deploy` names it.
const OverlayKey = "redis"

// ErrOverlayNoPassword refuses --no-password for stacks. Unlike a bridge,
// whose ports are published on a loopback --host-ip, a stack's ports go
// through the ingress routing mesh on every address of every Swarm node,
// and its overlay is attachable from any container on any of them:
// nothing keeps an open cluster local.
var ErrOverlayNoPassword = errors.New("--no-password: a Swarm stack publishes its ports on every address of every swarm node " +
	"(the ingress mesh has no --host-ip) and any container can attach to its overlay; " +
	"give a password (--password-file) or let one be generated")

type overlay struct{}

func (overlay) Name() string { return "overlay" }

func (overlay) Validate(p Params) []error {
	if p.NoPassword {
		return []error{ErrOverlayNoPassword}
	}
	return nil
}

// Node: nodes listen on every address of their task; the node agent
// announces the task's overlay address when it starts, so the rendered
// config announces nothing.
func (overlay) Node(Params) Node { return Node{Bind: "0.0.0.0"} }

// Listen: the ingress mesh publishes the ports on every address, and no
// flag narrows it.
func (overlay) Listen(Params) Listen { return Listen{} }

func (overlay) Peer(_ Params, ip netip.Addr) string { return ip.String() }

func (overlay) Network(p Params) string { return p.Cluster + "_" + OverlayKey }

// Container: stack nodes are service tasks, attached to the overlay at
// their planned address; the ingress mesh, not the task, publishes ports.
func (o overlay) Container(p Params, ip netip.Addr, _ int) Container {
	return Container{Network: o.Network(p), IP: ip}
}
