package docker

// Labels put on everything redis-dock creates, so it can be found again.
const (
	LabelCluster  = "redis-dock.cluster"
	LabelRole     = "redis-dock.role"
	LabelPort     = "redis-dock.port"
	LabelIndex    = "redis-dock.index"
	LabelSpec     = "redis-dock.spec"
	LabelMode     = "redis-dock.mode"
	LabelNetwork  = "redis-dock.network"
	LabelVersion  = "redis-dock.redis-version"
	LabelImageTag = "redis-dock.image"
	// LabelConfig is a hash of the node settings a container was made
	// with (see provision.ConfigHash): upgrade skips nodes that match.
	LabelConfig = "redis-dock.config-hash"
	// LabelHost is what a node container is made with beyond its config
	// (locked down, memory and CPU limits; see provision.HostSettings).
	LabelHost = "redis-dock.host"
)
