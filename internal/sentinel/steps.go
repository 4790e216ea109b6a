package sentinel

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// createNetwork makes the group's own network, when its mode has one,
// and plans the static addresses on it.
func (u *upRun) createNetwork(ctx context.Context) error {
	subnet, err := provision.CreateNetwork(ctx, u.o, u.spec, &u.cr.Made)
	if err != nil {
		return err
	}
	u.nodes = plan(u.spec, subnet)
	return nil
}

// startNodes creates the containers of nodes, copies each one's config in
// and starts it, all at once.
func (u *upRun) startNodes(ctx context.Context, nodes []topology.Node, format string, args ...any) error {
	st := u.log.Start(format, args...)
	defer st.End(false)
	g, gctx := errgroup.WithContext(ctx)
	for _, n := range nodes {
		g.Go(func() error { return u.startNode(gctx, n) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	st.End(true)
	return nil
}

func (u *upRun) startNode(ctx context.Context, n topology.Node) error {
	return u.startNodeWith(ctx, n, nil)
}

// startNodeWith starts node n with extra appended to its config.
func (u *upRun) startNodeWith(ctx context.Context, n topology.Node, extra []byte) error {
	path, conf, err := configFile(u.spec, u.nodes, n)
	if err != nil {
		return err
	}
	conf = append(conf, extra...)
	ns := u.nodeSpec(n)
	if n.Role != topology.RoleSentinel { // sentinels keep their state in sentinel.conf
		ns.Volume = docker.VolumeName(n.Name)
	}
	certs, err := provision.TLSFiles(u.spec, u.tls, n)
	if err != nil {
		return err
	}
	return u.cr.StartNode(ctx, ns, n.Port, path, conf, append(certs, provision.UserFiles(u.spec)...)...)
}

// nodeSpec is node n's container: labelled like a cluster node, on the
// network settings of the spec's mode, the config path in its command line.
func (u *upRun) nodeSpec(n topology.Node) docker.NodeSpec {
	cmd := []string{"redis-server", provision.ConfigPath}
	if n.Role == topology.RoleSentinel {
		cmd = []string{"redis-server", SentinelConfigPath, "--sentinel"}
	}
	return provision.NodeSpec(u.spec, n, cmd)
}

// readAddresses checks each node got its planned static address: the
// replicas and sentinels were configured with them.
func (u *upRun) readAddresses(ctx context.Context, nodes []topology.Node) error {
	return provision.CheckAddresses(ctx, u.o, u.spec, nodes)
}
