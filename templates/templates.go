// Package templates renders the redis.conf (and sentinel.conf) files that
// redis-dock copies into each node, from templates embedded in the binary.
// It owns the one function from settings to a redis.conf, RenderNode,
// which every path calls: cluster and sentinel containers, and the base
// configs of compose files and Swarm stacks. It also reads rendered
// configs back (Directive) and checks user directives (CheckExtra).
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

var tmpl = template.Must(template.New("").Funcs(template.FuncMap{
	"quote": Quote,
	"join":  func(s []string) string { return strings.Join(s, " ") },
	"yesno": func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	},
}).ParseFS(files, "*.tmpl"))

// redisConf is one node's settings as redis.conf.tmpl reads them (RenderNode
// fills it). Zero values leave a setting out, except the ones every node
// needs (port, bind, dir).
type redisConf struct {
	Name                  string   // node name, for the header comment
	Port                  int      // client port
	BusPort               int      // cluster bus port (cluster-port)
	Bind                  []string // addresses to listen on
	ProtectedMode         bool
	Password              string // requirepass (unless DefaultUserOff) and masterauth
	MasterUser            string // masteruser; "" is the default user
	Users                 []string
	DefaultUserOff        bool
	Cluster               bool
	NodeTimeout           int // cluster-node-timeout, milliseconds
	AnnounceIP            string
	AnnouncePort          int
	AnnounceBusPort       int
	AnnounceHostname      string
	PreferredEndpointType string // ip, hostname or unknown-endpoint
	ReplicaOf             string // "host port", for non-cluster replicas
	AppendOnly            bool
	Dir                   string
	TLS                   *TLS     // nil: plain TCP
	Extra                 []string // user directives, checked by CheckExtra
}

// renderRedis renders one node's redis.conf.
func renderRedis(r redisConf) ([]byte, error) {
	if r.Port < 1 || r.Port > 65535 {
		return nil, fmt.Errorf("port %d is outside 1..65535", r.Port)
	}
	if len(r.Bind) == 0 {
		r.Bind = []string{"0.0.0.0"}
	}
	if r.Dir == "" {
		r.Dir = "/data"
	}
	if r.Cluster && r.BusPort == 0 {
		r.BusPort = r.Port + 10000
	}
	if err := CheckExtra(r.Extra); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "redis.conf.tmpl", r); err != nil {
		return nil, fmt.Errorf("failed to render redis.conf for port %d: %w", r.Port, err)
	}
	return buf.Bytes(), nil
}

// Quote returns s as one redis.conf argument: double-quoted, with
// backslash, quote and non-printable bytes escaped the way Redis's
// sdssplitargs reads them back, so any password round-trips.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\x%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
