// Package provision is what every topology's `up` shares around its own
// node start (cluster and sentinel alike): the run's hold on the cluster
// name and its undo (Creation), the host checks (names, ports), the node
// image, the password, the network of the cluster's own, the node
// containers with their spec label, and the confirmation of a second `up`
// against the nodes that exist. It asks the spec's network mode (package
// netmode) wherever the answer depends on it; the topologies keep only
// their plans, configs and health checks.
package provision

import (
	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
)

// ConfigPath is where each data node's rendered config lives in its
// container.
const ConfigPath = images.ConfigDir + "/redis.conf"

// Options are how to run a command, as opposed to what to build.
type Options struct {
	Logger *status.Logger
	Docker *docker.Client
	Retain bool // keep what a failed Up made, for debugging
}

// Log is the logger, or one that discards when none is set.
func (o Options) Log() *status.Logger {
	if o.Logger == nil {
		return status.Discard()
	}
	return o.Logger
}
