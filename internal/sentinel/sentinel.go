// Package sentinel runs the sentinel topology: one master, replicas
// (optionally chained) and Redis Sentinels that fail over automatically.
// It uses the same containers, labels, image and config copy-in as
// cluster mode, and the same step and status-line style. Its layout comes
// from topology.Group and its data nodes' redis.conf from
// templates.RenderNode, as in every other mode.
package sentinel

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/tlsca"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// pollInterval is how often readiness and health are polled.
const pollInterval = 20 * time.Millisecond

// Result is what Up reports back.
type Result struct {
	Spec     spec.Spec // with the password filled in
	Nodes    []topology.Node
	Existing bool // the group was already there
	Elapsed  time.Duration
	Start    time.Duration    // the network and the data nodes' containers
	Boot     time.Duration    // replication, then starting and waiting for the sentinels
	TLS      *tlsca.Authority // the group's CA and certificates, nil without --tls
}

// Auth is how clients on the host connect to the group's data nodes and
// sentinels: the password and, with --tls, the CA (and client
// certificate) to trust.
func (r *Result) Auth() redisx.Auth { return provision.Auth(r.Spec, r.TLS) }

// MasterName is the name clients give the sentinels: the group's name.
func (r *Result) MasterName() string { return r.Spec.Name }

// SentinelAddrs are the sentinels' host-side addresses, for a client's
// sentinel list.
func (r *Result) SentinelAddrs() []string { return r.addrs(topology.RoleSentinel) }

// DataAddrs are the host-side addresses of the master and replicas, in
// plan order (the master first, as created; a failover changes roles).
func (r *Result) DataAddrs() []string {
	return append(r.addrs(topology.RoleMaster), r.addrs(topology.RoleReplica)...)
}

func (r *Result) addrs(role string) []string {
	var out []string
	for _, n := range r.Nodes {
		if n.Role == role {
			out = append(out, r.Spec.Net().AdminAddr(n.Port))
		}
	}
	return out
}

// Up brings a sentinel group to health: it creates what is missing, or
// confirms that a group with the same spec is already there.
func Up(ctx context.Context, s spec.Spec, o provision.Options) (*Result, error) {
	begin := time.Now()
	if s.Mode != spec.ModeSentinel {
		return nil, fmt.Errorf("--mode %q: the sentinel package builds --mode sentinel only", s.Mode)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	u := &upRun{spec: s, o: o, log: o.Log(), cr: provision.NewCreation(o, s.Name)}
	res, err := u.run(ctx)
	if err = u.cr.Finish(ctx, err); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(begin)
	return res, nil
}

// upRun carries one Up's state from step to step.
type upRun struct {
	spec  spec.Spec
	o     provision.Options
	log   *status.Logger
	cr    *provision.Creation // the lock while creating, and what this run made
	nodes []topology.Node
	tls   *tlsca.Authority // with --tls: the CA and certificates
}

// auth is how the tool connects to the group's nodes of role.
func (u *upRun) auth(role string) redisx.Auth { return roleAuth(u.spec, u.tls, role) }

// roleAuth is how the tool logs in to a node of role: a data node as
// redis-dock's admin user when the group has ACL users, a sentinel (whose
// only user is the default one, with requirepass) by the password alone.
func roleAuth(s spec.Spec, t *tlsca.Authority, role string) redisx.Auth {
	a := provision.Auth(s, t)
	if role == topology.RoleSentinel {
		a.User = ""
	}
	return a
}

// run confirms the group when it exists, else creates it; when another
// run creates it at the same time, this one waits and confirms it.
func (u *upRun) run(ctx context.Context) (*Result, error) {
	return provision.CreateOrConfirm(ctx, u.cr, &u.spec, u.reuse, u.create)
}

func (u *upRun) create(ctx context.Context) (*Result, error) {
	if n := u.spec.SentinelCount(); n%2 == 0 {
		u.log.Warnf("--sentinels %d: an even number tolerates no more failures than %d; an odd number is best", n, n-1)
	}
	u.nodes = plan(u.spec, netip.Prefix{})
	if err := u.cr.Prepare(ctx, &u.spec, u.nodes, false); err != nil {
		return nil, err
	}
	var err error
	if u.tls, err = provision.ResolveTLS(u.spec, u.nodes); err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := u.createNetwork(ctx); err != nil {
		return nil, err
	}
	data, sentinels := split(u.nodes)
	if err := u.startNodes(ctx, data, "Starting %d data nodes (1 master, %s%s)", len(data), plural(len(data)-1, "replica"), u.cascadeNote()); err != nil {
		return nil, err
	}
	if err := u.readAddresses(ctx, data); err != nil {
		return nil, err
	}
	started, t1 := time.Since(t0), time.Now()
	// Sentinels start once the replicas are linked, so the master's very
	// first INFO shows them: sentinels discover replicas only there, and
	// then only every 10 seconds. --wait budgets the two waits, not the
	// containers' start.
	wctx, cancel := context.WithTimeout(ctx, u.spec.Wait)
	defer cancel()
	if err := u.waitReplication(wctx); err != nil {
		return nil, err
	}
	used := time.Since(t1)
	if err := u.startNodes(ctx, sentinels, "Starting %s (quorum %d)", plural(len(sentinels), "sentinel"), u.spec.Quorum()); err != nil {
		return nil, err
	}
	wctx, cancel = context.WithTimeout(ctx, u.spec.Wait-used)
	defer cancel()
	if err := u.waitHealthy(wctx); err != nil {
		return nil, err
	}
	return &Result{Spec: u.spec, Nodes: u.nodes, Start: started, Boot: time.Since(t1), TLS: u.tls}, nil
}

func (u *upRun) cascadeNote() string {
	if u.spec.Cascade && u.spec.Replicas > 1 {
		return ", chained"
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
