package cluster

import (
	"context"
	"net/netip"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

func (u *upRun) checkPorts() error { return provision.CheckPorts(u.spec, u.plan.Nodes, true) }

// checkTLS reads and checks the certificates a user brought (--tls-ca,
// --tls-cert-dir) before anything else, as Validate checks flags.
func (u *upRun) checkTLS() (err error) {
	if u.spec.TLSCA != "" {
		u.tls, err = provision.ResolveTLS(u.spec, planFor(u.spec).Nodes)
	}
	return err
}

// resolveTLS makes the cluster's CA when the user brought none, before
// anything is created.
func (u *upRun) resolveTLS(context.Context) (err error) {
	if u.tls == nil {
		u.tls, err = provision.ResolveTLS(u.spec, u.plan.Nodes)
	}
	return err
}

// createNetwork makes the cluster's own network, when its mode has one,
// and plans the static node addresses on it.
func (u *upRun) createNetwork(ctx context.Context) error {
	subnet, err := provision.CreateNetwork(ctx, u.o, u.spec, &u.cr.Made)
	if err != nil {
		return err
	}
	u.plan = topology.New(topology.Params{Cluster: u.spec.Name, Masters: u.spec.Masters, Replicas: u.spec.Replicas,
		Port: u.spec.Port, BusPort: u.spec.FirstBusPort(), Subnet: subnet})
	return nil
}

// startNodes creates every node's volume and container, copies its
// config in and starts it: all masters at once, then all replicas, so
// that the masters' writable delay (see form.Stream) runs while the
// replicas start. Unless the nodes are to stay fresh, each node joins the
// cluster as soon as it runs.
func (u *upRun) startNodes(ctx context.Context) error {
	st := u.log.Start("Starting %d nodes", len(u.plan.Nodes))
	defer st.End(false)
	u.joins = u.newJoiner(ctx)
	masters := len(u.plan.Masters())
	mastersUp := make(chan struct{})
	if masters == 0 {
		close(mastersUp)
	}
	var started atomic.Int32
	g, gctx := errgroup.WithContext(ctx)
	for _, n := range u.plan.Nodes {
		g.Go(func() error {
			if n.Role != topology.RoleMaster {
				select {
				case <-mastersUp:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			if err := u.startNode(gctx, n); err != nil {
				return err
			}
			if n.Role == topology.RoleMaster && int(started.Add(1)) == masters {
				close(mastersUp)
			}
			u.joins.join(n.Index)
			return nil
		})
	}
	return st.Done(g.Wait())
}

func (u *upRun) startNode(ctx context.Context, n topology.Node) error {
	conf, err := renderNode(u.spec, n)
	if err != nil {
		return err
	}
	certs, err := provision.TLSFiles(u.spec, u.tls, n)
	if err != nil {
		return err
	}
	files := append(certs, provision.UserFiles(u.spec)...)
	return u.cr.StartNode(ctx, u.nodeSpec(n, docker.VolumeName(n.Name)), n.Port, ConfigPath, conf, files...)
}

func (u *upRun) nodeSpec(n topology.Node, vol string) docker.NodeSpec {
	ns := provision.NodeSpec(u.spec, n, []string{"redis-server", ConfigPath})
	ns.Volume = vol
	return ns
}

// readAddresses checks each node got its planned static address.
func (u *upRun) readAddresses(ctx context.Context) error {
	return provision.CheckAddresses(ctx, u.o, u.spec, u.plan.Nodes)
}

// peerAddr is where other nodes reach node n (MEET target).
func (u *upRun) peerAddr(n topology.Node) string { return peerAddr(u.spec, n.IP) }

// peerAddr is where nodes reach a node whose address on the cluster's
// network is ip (MEET and MIGRATE target).
func peerAddr(s spec.Spec, ip netip.Addr) string { return s.Net().Peer(ip) }

// ErrPortInUse marks errors about host ports that something else holds.
var ErrPortInUse = provision.ErrPortInUse

// ErrBusy marks the error of an `up` that found another run creating the
// same cluster and gave up waiting for it.
var ErrBusy = provision.ErrBusy
