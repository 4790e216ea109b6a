// Package spec is what a user asks for: a cluster spec with defaults,
// loaded from flags or a strict YAML file, and validated before anything
// is created. NodeSettings is what of it every node's redis.conf shares.
package spec

import (
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/netmode"
)

// Network modes (see package netmode) and endpoint modes.
const (
	NetworkBridge    = netmode.BridgeName
	NetworkHost      = netmode.HostName
	EndpointHostname = "hostname"
	EndpointIP       = "ip"
	ModeCluster      = "cluster"
	ModeSentinel     = "sentinel"
	DefaultImage     = images.DefaultImage
)

// DefaultTLSDays is how long the certificates redis-dock makes are valid.
const DefaultTLSDays = 365

// DefaultNodeImage is the default --image: $REDIS_DOCK_IMAGE when set.
func DefaultNodeImage() string { return images.DefaultNodeImage() }

// Spec is one cluster's desired shape. Field names in YAML are the flag
// names, so a file and the command line read the same.
type Spec struct {
	Name          string        `yaml:"name" json:"name"`
	Mode          string        `yaml:"mode" json:"mode"`
	Masters       int           `yaml:"masters" json:"masters"`
	Replicas      int           `yaml:"replicas" json:"replicas"`
	Port          int           `yaml:"port" json:"port"`
	BusPort       int           `yaml:"bus-port" json:"busPort"`
	Network       string        `yaml:"network" json:"network"`
	HostIP        string        `yaml:"host-ip" json:"hostIP"`
	Bind          string        `yaml:"bind" json:"bind,omitempty"`
	AnnounceIP    string        `yaml:"announce-ip" json:"announceIP,omitempty"`
	Endpoint      string        `yaml:"endpoint" json:"endpoint"`
	Image         string        `yaml:"image" json:"image"`
	RedisBinary   string        `yaml:"redis-binary" json:"-"`
	PasswordFile  string        `yaml:"password-file" json:"-"`
	Password      string        `yaml:"-" json:"-"`
	NoPassword    bool          `yaml:"no-password" json:"noPassword,omitempty"` // loopback only
	NodeTimeout   int           `yaml:"node-timeout" json:"nodeTimeout"`
	AppendOnly    bool          `yaml:"appendonly" json:"appendonly"`
	Config        []string      `yaml:"config" json:"config,omitempty"`
	Subnet        string        `yaml:"subnet" json:"-"`
	Encrypted     bool          `yaml:"-" json:"-"` // swarm: IPsec (ESP) on the overlay between hosts
	Wait          time.Duration `yaml:"wait" json:"-"`
	Sentinels     int           `yaml:"sentinels" json:"sentinels,omitempty"`           // sentinel mode; 0: DefaultSentinels
	Cascade       bool          `yaml:"cascade" json:"cascade,omitempty"`               // sentinel mode: replica i follows replica i-1
	DownAfter     int           `yaml:"down-after" json:"downAfter,omitempty"`          // sentinel mode, ms; 0: DefaultDownAfter
	TLS           bool          `yaml:"tls" json:"tls,omitempty"`                       // nodes speak TLS only
	TLSClientAuth bool          `yaml:"tls-client-auth" json:"tlsClientAuth,omitempty"` // nodes want a client certificate
	TLSDays       int           `yaml:"tls-days" json:"tlsDays,omitempty"`              // validity of the certificates redis-dock makes
	TLSCA         string        `yaml:"tls-ca" json:"-"`                                // the user's CA certificate (PEM file)
	TLSCertDir    string        `yaml:"tls-cert-dir" json:"-"`                          // the user's node certificates
	Memory        string        `yaml:"memory" json:"memory,omitempty"`                 // container memory limit, e.g. 512m; "": none
	CPUs          string        `yaml:"cpus" json:"cpus,omitempty"`                     // container CPU limit, e.g. 1.5; "": none
	// ACL users (NAME:RULES), identical on every node; with them or
	// NoDefaultUser, redis-dock connects and replicates as its own admin
	// user (acl.Admin, whose password is Password).
	Users             []string `yaml:"user" json:"users,omitempty"`
	NoDefaultUser     bool     `yaml:"no-default-user" json:"noDefaultUser,omitempty"`
	UserPasswordFiles []string `yaml:"user-password-file" json:"-"` // NAME=PATH: the first line of PATH is NAME's password
	UserPasswords     []string `yaml:"-" json:"-"`                  // NAME=PASSWORD; resolved: one per user
}

// Default returns the spec of a plain `redis-dock up`.
func Default() Spec {
	return Spec{
		Name: "default", Mode: ModeCluster, Masters: 3, Replicas: 1, Port: 7000,
		Network: NetworkBridge, HostIP: "127.0.0.1", Endpoint: EndpointHostname,
		Image: DefaultNodeImage(), NodeTimeout: 5000, AppendOnly: true, Wait: 60 * time.Second, TLSDays: DefaultTLSDays,
	}
}

// Normalize settles fields that follow from others: a network mode whose
// nodes cannot be reached as localhost (host networking) announces
// addresses, not the localhost hostname.
func (s *Spec) Normalize() {
	if !s.Net().Node().Hostname {
		s.Endpoint = EndpointIP
	}
}

// Net is the spec's network mode with the values it decides on.
func (s Spec) Net() netmode.Net {
	return netmode.Net{Mode: netmode.Of(s.Network), Params: netmode.Params{
		Cluster: s.Name, HostIP: s.HostIP, Bind: s.Bind, AnnounceIP: s.AnnounceIP,
		NoPassword: s.NoPassword, Sentinel: s.Mode == ModeSentinel,
	}}
}

// Nodes is the number of containers, each with one client port: masters
// and replicas, plus the sentinels in sentinel mode.
func (s Spec) Nodes() int {
	if s.Mode == ModeSentinel {
		return 1 + s.Replicas + s.SentinelCount()
	}
	return s.Masters * (1 + s.Replicas)
}

// FirstBusPort is the bus port of the first node (port+10000 by default).
func (s Spec) FirstBusPort() int {
	if s.BusPort != 0 {
		return s.BusPort
	}
	return s.Port + 10000
}

// BindAddress is where host-network nodes listen.
func (s Spec) BindAddress() string { return s.Net().BindAddress() }

// ProtectedMode reports whether nodes keep Redis's protected mode on. It
// is the one place every config renderer (cluster, sentinel, stacks and
// compose files) asks. Protected mode only acts without a password, and
// then refuses every connection not from loopback; the network mode says
// whether every peer and client is local (host networking, whose nodes
// bind loopback without a password) or not (a bridge: clients arrive
// through ports published on --host-ip from the network's gateway, and
// the guard there is that --host-ip is loopback, see Validate).
func (s Spec) ProtectedMode() bool {
	return s.Password == "" && s.Net().Node().ProtectedMode
}
