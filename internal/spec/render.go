package spec

import (
	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/templates"
)

// NodeSettings are the spec's settings every data node's redis.conf
// shares, for templates.RenderNode: the one place a spec field becomes a
// redis.conf setting.
func (s Spec) NodeSettings() templates.Settings {
	return templates.Settings{
		Cluster: s.Mode == ModeCluster, NodeTimeout: s.NodeTimeout, ProtectedMode: s.ProtectedMode(),
		Password: s.Password, AppendOnly: s.AppendOnly, Extra: s.extra(), TLS: s.NodeTLS(),
		MasterUser: s.AdminUser(), Users: s.aclLines(), DefaultUserOff: s.NoDefaultUser,
	}
}

// extra is --config, after the maxmemory that --memory implies.
func (s Spec) extra() []string {
	if m := s.maxMemory(); m != "" {
		return append([]string{m}, s.Config...)
	}
	return s.Config
}

// NodeTLS is the nodes' TLS settings (data nodes and sentinels), nil
// without --tls.
func (s Spec) NodeTLS() *templates.TLS {
	if !s.TLS {
		return nil
	}
	return templates.TLSIn(images.TLSDir, s.TLSClientAuth)
}
