package templates

// Settings are what every data node of one cluster or sentinel group
// shares, all taken from the spec by spec.Spec.NodeSettings. A new
// redis.conf setting is a field here, a line there and a line in
// redis.conf.tmpl; RenderNode then carries it to every path (cluster,
// sentinel, compose and Swarm).
type Settings struct {
	Cluster       bool // cluster-enabled: Redis Cluster mode
	NodeTimeout   int  // cluster-node-timeout, milliseconds
	ProtectedMode bool
	Password      string // requirepass and masterauth; "" leaves both out
	// MasterUser is the user replicas authenticate as (masteruser, with
	// Password); "" is the default user.
	MasterUser string
	// Users are `user` lines (without the word), identical on every
	// node; with DefaultUserOff, requirepass is left out (the lines turn
	// the default user off).
	Users          []string
	DefaultUserOff bool
	AppendOnly     bool
	TLS            *TLS     // nil: plain TCP
	Extra          []string // user directives, checked by CheckExtra
}

// File names of a node's TLS material in its TLS directory.
const (
	TLSCAFile   = "ca.crt"
	TLSCertFile = "node.crt"
	TLSKeyFile  = "node.key"
)

// TLS makes a node speak TLS only: tls-port is its client port, port 0,
// and replication and the cluster bus use TLS too.
type TLS struct {
	CertFile, KeyFile, CAFile string // paths in the node
	// AuthClients makes clients show a certificate (tls-auth-clients
	// yes); without it they may (optional).
	AuthClients bool
}

// TLSIn is the TLS settings of a node whose material is in dir.
func TLSIn(dir string, authClients bool) *TLS {
	return &TLS{CertFile: dir + "/" + TLSCertFile, KeyFile: dir + "/" + TLSKeyFile, CAFile: dir + "/" + TLSCAFile, AuthClients: authClients}
}

// Node is what one node adds to the shared settings: its ports, where it
// listens and what it announces (both decided by the network mode, passed
// in as plain values), its role and its data directory.
type Node struct {
	Name             string // node name, for the header comment
	Port             int
	BusPort          int      // 0: Port+10000 in cluster mode
	Bind             []string // nil: 0.0.0.0
	AnnounceIP       string   // cluster-announce-ip and replica-announce-ip
	AnnounceHostname string   // with it, clients are sent the hostname
	ReplicaOf        string   // "host port", for non-cluster replicas
	Dir              string   // data directory; "" is /data
}

// RenderNode renders one data node's redis.conf: the one function every
// path that writes a redis.conf calls.
func RenderNode(s Settings, n Node) ([]byte, error) {
	r := redisConf{
		Name: n.Name, Port: n.Port, BusPort: n.BusPort, Bind: n.Bind, ProtectedMode: s.ProtectedMode,
		Password: s.Password, MasterUser: s.MasterUser, Users: s.Users, DefaultUserOff: s.DefaultUserOff, Cluster: s.Cluster, NodeTimeout: s.NodeTimeout, AnnounceIP: n.AnnounceIP,
		ReplicaOf: n.ReplicaOf, AppendOnly: s.AppendOnly, Dir: n.Dir, TLS: s.TLS, Extra: s.Extra,
	}
	if n.AnnounceHostname != "" && s.Cluster {
		r.AnnounceHostname, r.PreferredEndpointType = n.AnnounceHostname, "hostname"
	}
	return renderRedis(r)
}
