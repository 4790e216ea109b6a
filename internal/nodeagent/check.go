package nodeagent

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/form"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/status"
)

// Report is what `redis-dock check` prints: the verdict and every node
// as it sees itself.
type Report struct {
	Healthy  bool         `json:"healthy"`
	Problems []string     `json:"problems,omitempty"`
	Nodes    []NodeReport `json:"nodes"`
	Written  int          `json:"written,omitempty"`  // keys written and read back
	Verified int          `json:"verified,omitempty"` // keys read back
}

// NodeReport is one node.
type NodeReport struct {
	Name   string `json:"name"`
	Addr   string `json:"addr"`
	ID     string `json:"id"`
	Role   string `json:"role"`
	Master string `json:"master,omitempty"` // the master's ID, for replicas
	Slots  string `json:"slots,omitempty"`
}

// CheckOptions say what to check besides health.
type CheckOptions struct {
	Wait   time.Duration // how long to wait for health
	Write  int           // keys to write and read back
	Verify int           // keys written earlier to read back
	Prefix string        // key prefix
	// Failover names a replica (node-7003) to promote with CLUSTER
	// FAILOVER once the cluster is healthy; the health wait then runs
	// again, so the report shows every node handing out the new master.
	Failover string
	Log      *status.Logger
}

// reportTimeout bounds the look the report is made of: the wait for
// health may have used up its own time.
const reportTimeout = 5 * time.Second

// Check waits until the cluster the shape names is healthy, reports its
// nodes, then writes and reads keys as asked. err is set when the
// cluster is not healthy or a key is missing. A node whose name does not
// resolve (its host is away) is reported without an address, and the
// others are still looked at, so that a caller can tell a cluster that
// serves every slot from one that does not.
func Check(ctx context.Context, s Shape, password string, o CheckOptions, lookup Lookup) (Report, error) {
	wctx, cancel := context.WithTimeout(ctx, o.Wait)
	defer cancel()
	var r Report
	members, missing := s.Resolve(wctx, lookup)
	if len(members) == 0 {
		return r, fmt.Errorf("no node of cluster %q resolves to a running task: %s", s.Name, strings.Join(missing, ", "))
	}
	c := Cluster(s, members, password, o.Wait, o.Log)
	ns := c.Dial()
	defer func() { form.CloseAll(ns) }()
	var err error
	if len(missing) > 0 {
		err = fmt.Errorf("cluster %q is not healthy: %s", s.Name, unresolved(missing))
	} else {
		err = waitHealthy(wctx, s, lookup, c, &ns)
	}
	if err == nil && o.Failover != "" {
		if err = failover(wctx, c, ns, o.Failover); err == nil {
			err = c.WaitHealthy(wctx, ns)
		}
	}
	rctx, rcancel := context.WithTimeout(ctx, reportTimeout)
	defer rcancel()
	h := form.CheckHealth(rctx, ns, c.Names())
	r.Healthy, r.Problems = err == nil && h.OK, h.Problems
	r.Nodes = reportNodes(rctx, c, ns)
	if len(missing) > 0 {
		r.Problems = append([]string{unresolved(missing)}, r.Problems...)
		for _, name := range missing {
			r.Nodes = append(r.Nodes, NodeReport{Name: name})
		}
	}
	if err != nil {
		return r, err
	}
	seeds := make([]string, len(members))
	for i, m := range members {
		seeds[i] = m.Admin
	}
	return r, keys(wctx, &r, seeds, redisx.Auth{User: s.User, Password: password, TLS: s.TLS}, o)
}

// resolveRound is how long the health wait keeps the addresses it has
// before it resolves the names again.
const resolveRound = 15 * time.Second

// waitHealthy waits for health in rounds, resolving the names again
// after each one that ends unhealthy and dialing anew where an address
// changed: a name may first resolve to a task that is gone (a lost
// host's DNS records outlive it for a while), and the cluster can only
// become healthy at the addresses its names resolve to now.
func waitHealthy(ctx context.Context, s Shape, lookup Lookup, c *form.Cluster, ns *[]*redisx.Node) error {
	for {
		rctx, cancel := context.WithTimeout(ctx, resolveRound)
		err := c.WaitHealthy(rctx, *ns)
		cancel()
		if err == nil || ctx.Err() != nil {
			return err
		}
		lctx, lcancel := context.WithTimeout(ctx, 2*time.Second)
		again, missing := s.Resolve(lctx, lookup)
		lcancel()
		if len(missing) > 0 || sameAddrs(again, c.Members) {
			continue
		}
		form.CloseAll(*ns)
		c.Members = again
		*ns = c.Dial()
	}
}

func sameAddrs(a, b []form.Member) bool {
	return slices.EqualFunc(a, b, func(x, y form.Member) bool { return x.Admin == y.Admin })
}

func unresolved(names []string) string {
	return fmt.Sprintf("%s resolve to no running task", strings.Join(names, ", "))
}

func reportNodes(ctx context.Context, c *form.Cluster, ns []*redisx.Node) []NodeReport {
	out := make([]NodeReport, len(ns))
	for i, n := range ns {
		out[i] = NodeReport{Name: c.Members[i].Name, Addr: n.Addr}
		nodes, err := n.Nodes(ctx)
		if err != nil {
			continue
		}
		me, _ := redisx.Myself(nodes)
		out[i].ID, out[i].Master, out[i].Slots = me.ID, me.MasterID, me.SlotString()
		out[i].Role = "replica"
		if me.IsMaster() {
			out[i].Role = "master"
		}
	}
	return out
}

func keys(ctx context.Context, r *Report, seeds []string, a redisx.Auth, o CheckOptions) error {
	if o.Write == 0 && o.Verify == 0 {
		return nil
	}
	if o.Write > 0 {
		if err := redisx.WriteKeys(ctx, seeds, a, o.Prefix, o.Write); err != nil {
			return err
		}
		if err := redisx.CheckKeys(ctx, seeds, a, o.Prefix, o.Write); err != nil {
			return err
		}
		r.Written = o.Write
	}
	if o.Verify > 0 {
		if err := redisx.CheckKeys(ctx, seeds, a, o.Prefix, o.Verify); err != nil {
			return err
		}
		r.Verified = o.Verify
	}
	return nil
}

// failover promotes the replica named name with CLUSTER FAILOVER, which
// its master hands over only once the replica has all its writes (none
// is lost), and waits until it is master. A node that is master already
// (a resumed upgrade) is left so. The request is sent again every few
// seconds: a manual failover that timed out is not retried by Redis.
func failover(ctx context.Context, c *form.Cluster, ns []*redisx.Node, name string) error {
	i := slices.IndexFunc(c.Members, func(m form.Member) bool { return m.Name == name })
	if i < 0 {
		return fmt.Errorf("--failover %s: no such node in cluster %q", name, c.Name)
	}
	n := ns[i]
	var sent time.Time
	for {
		nodes, err := n.Nodes(ctx)
		if err == nil {
			if me, _ := redisx.Myself(nodes); me.IsMaster() {
				return nil
			}
			if time.Since(sent) > 5*time.Second {
				if _, err := n.Command(ctx, "CLUSTER", "FAILOVER"); err != nil {
					return fmt.Errorf("CLUSTER FAILOVER on %s: %w", name, err)
				}
				sent = time.Now()
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not become master: %w", name, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
