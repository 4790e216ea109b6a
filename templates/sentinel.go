package templates

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
)

// Sentinel is one sentinel's settings: the master it monitors and how.
type Sentinel struct {
	Name            string   // container name, for the header comment
	Port            int      // the sentinel's own port
	Bind            []string // addresses to listen on
	ProtectedMode   bool
	Password        string // requirepass, sentinel-pass and auth-pass, all three
	Dir             string
	AnnounceIP      string // what the sentinel tells the others it is at
	MasterName      string // the name clients ask for (SENTINEL GET-MASTER-ADDR-BY-NAME)
	MasterHost      string // an IP: hostnames need resolve-hostnames
	MasterPort      int
	Quorum          int // sentinels that must agree the master is down
	DownAfter       int // down-after-milliseconds
	FailoverTimeout int // failover-timeout, milliseconds
	ParallelSyncs   int // replicas resynced at once after a failover (default 1)
	// AuthUser is the ACL user the sentinel logs in to the data nodes as
	// (sentinel auth-user, with auth-pass Password); "" for the default.
	AuthUser string
	// TLS makes the sentinel speak TLS only (tls-port is Port, port 0) and
	// talk TLS to the data nodes and the other sentinels (tls-replication).
	TLS *TLS
}

// RenderSentinel renders one sentinel's sentinel.conf.
func RenderSentinel(s Sentinel) ([]byte, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if len(s.Bind) == 0 {
		s.Bind = []string{"0.0.0.0"}
	}
	if s.Dir == "" {
		s.Dir = "/data"
	}
	if s.ParallelSyncs == 0 {
		s.ParallelSyncs = 1
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "sentinel.conf.tmpl", s); err != nil {
		return nil, fmt.Errorf("failed to render sentinel.conf for port %d: %w", s.Port, err)
	}
	return buf.Bytes(), nil
}

func (s Sentinel) check() error {
	for _, p := range []int{s.Port, s.MasterPort} {
		if p < 1 || p > 65535 {
			return fmt.Errorf("port %d is outside 1..65535", p)
		}
	}
	if s.MasterName == "" || strings.ContainsAny(s.MasterName, " \t\r\n\"'\\") {
		return fmt.Errorf("master name %q: want one word without quotes", s.MasterName)
	}
	if _, err := netip.ParseAddr(s.MasterHost); err != nil {
		return fmt.Errorf("master address %q: want an IP address", s.MasterHost)
	}
	if s.AnnounceIP != "" {
		if _, err := netip.ParseAddr(s.AnnounceIP); err != nil {
			return fmt.Errorf("announce address %q: want an IP address", s.AnnounceIP)
		}
	}
	if s.Quorum < 1 || s.DownAfter < 1 || s.FailoverTimeout < 1 || s.ParallelSyncs < 0 {
		return fmt.Errorf("quorum %d, down-after %d ms, failover-timeout %d ms: must be positive", s.Quorum, s.DownAfter, s.FailoverTimeout)
	}
	return nil
}
