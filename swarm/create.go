package swarm

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/stackplan"
)

func (u *upRun) createNetwork(ctx context.Context) error {
	stack := u.plan.Spec.Name
	enc := ""
	if u.plan.Spec.Encrypted {
		enc = "encrypted "
	}
	st := u.log.Start("Creating %soverlay network %s on %s", enc, networkName(stack), u.plan.Subnet)
	defer st.End(false)
	id, err := u.o.Docker.CreateOverlay(ctx, networkName(stack), u.plan.Subnet, u.plan.Spec.Encrypted, stackLabels(stack, u.plan.Labels()))
	if err != nil {
		return err
	}
	u.refs.network, u.refs.networkName = id, networkName(stack)
	st.End(true)
	return nil
}

// createFiles creates the password secret, the TLS secrets and every
// node's config.
func (u *upRun) createFiles(ctx context.Context) error {
	stack := u.plan.Spec.Name
	what := "the password secret"
	if u.plan.Spec.ACL() {
		what += ", the users secret"
	}
	if u.tls != nil {
		what += fmt.Sprintf(", %d TLS secrets", 1+2*len(u.plan.Nodes))
	}
	st := u.log.Start("Creating %s and %d configs", what, len(u.plan.Nodes))
	defer st.End(false)
	labels := stackLabels(stack, u.plan.Labels())
	id, err := u.o.Docker.CreateSecret(ctx, secretName(stack), []byte(u.plan.Spec.Password+"\n"), labels)
	if err != nil {
		return err
	}
	u.refs.secret, u.refs.secretName, u.refs.configs = id, secretName(stack), map[int]string{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	u.refs.tls = map[string]docker.StackObject{}
	if u.plan.Spec.ACL() {
		g.Go(func() error {
			name := stack + "_" + stackplan.UsersSecret
			id, err := u.o.Docker.CreateSecret(gctx, name, u.plan.UsersFile(), labels)
			u.refs.users = docker.StackObject{ID: id, Name: name}
			return err
		})
	}
	if u.tls != nil {
		for key, data := range u.tls.Secrets() {
			g.Go(func() error {
				name := stack + "_" + key
				id, err := u.o.Docker.CreateSecret(gctx, name, data, labels)
				mu.Lock()
				u.refs.tls[key] = docker.StackObject{ID: id, Name: name}
				mu.Unlock()
				return err
			})
		}
	}
	for _, n := range u.plan.Nodes {
		g.Go(func() error {
			id, err := u.o.Docker.CreateConfig(gctx, configName(stack, n.Port, n.Conf), n.Conf, labels)
			mu.Lock()
			u.refs.configs[n.Port] = id
			mu.Unlock()
			return err
		})
	}
	return st.Done(g.Wait())
}

// createServices creates every node's service and the bootstrap, with
// replicas placed away from their masters when the swarm has several
// nodes.
func (u *upRun) createServices(ctx context.Context) error {
	st := u.log.Start("Creating %d node services and the bootstrap", len(u.plan.Nodes))
	defer st.End(false)
	pl, err := u.placement(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	at := pl.hosts(u.plan)
	for i, n := range u.plan.Nodes {
		constraint := ""
		if at[i] != "" {
			constraint = pl.Key + " == " + at[i]
		}
		g.Go(func() error {
			_, err := u.o.Docker.CreateService(gctx, sdkNodeService(u.plan, n, u.refs, constraint))
			return err
		})
	}
	g.Go(func() error {
		_, err := u.o.Docker.CreateService(gctx, sdkBootstrapService(u.plan, u.refs))
		return err
	})
	return st.Done(g.Wait())
}

// placement lists the ready Swarm nodes by ID.
func (u *upRun) placement(ctx context.Context) (Placement, error) {
	nodes, err := u.o.Docker.SwarmNodes(ctx)
	if err != nil {
		return Placement{}, err
	}
	pl := Placement{Key: "node.id"}
	for _, n := range nodes {
		if n.Ready {
			pl.Hosts = append(pl.Hosts, n.ID)
		}
	}
	return pl, nil
}
