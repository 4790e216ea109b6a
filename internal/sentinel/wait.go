package sentinel

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// members dials the planned nodes whose role is in roles.
func (u *upRun) members(roles ...string) []member {
	var out []member
	for _, n := range u.nodes {
		for _, r := range roles {
			if n.Role == r {
				out = append(out, member{name: n.Name, state: "running", role: n.Role, port: n.Port,
					conn: redisx.Dial(u.spec.Net().AdminAddr(n.Port), u.auth(n.Role))})
			}
		}
	}
	return out
}

func closeMembers(ms []member) {
	for _, m := range ms {
		m.conn.Close()
	}
}

// waitReplication waits for the data nodes to answer and every replica
// to finish its first sync.
func (u *upRun) waitReplication(ctx context.Context) error {
	ms := u.members(topology.RoleMaster, topology.RoleReplica)
	defer closeMembers(ms)
	st := u.log.Start("Waiting for %d data nodes to answer", len(ms))
	defer st.End(false)
	var g errgroup.Group
	for _, m := range ms {
		g.Go(func() error { return m.conn.WaitPing(ctx, pollInterval) })
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("sentinel group %q: data nodes did not answer within --wait %s: %w", u.spec.Name, u.spec.Wait, err)
		}
		return err
	}
	st.End(true)
	return u.poll(ctx, "Waiting for replication", ms, func(st *Status) []string { return judgeData(st) })
}

// waitHealthy waits until the whole group is healthy (see judge).
func (u *upRun) waitHealthy(ctx context.Context) error {
	ms := u.members(topology.RoleMaster, topology.RoleReplica, topology.RoleSentinel)
	defer closeMembers(ms)
	n := u.spec.SentinelCount()
	return u.poll(ctx, "Waiting for the sentinels to agree", ms, func(st *Status) []string { return judge(st, n) })
}

// poll gathers and judges every pollInterval until nothing is wrong or
// ctx ends; the error then says what was still wrong.
func (u *upRun) poll(ctx context.Context, step string, ms []member, check func(*Status) []string) error {
	st := u.log.Start("%s", step)
	defer st.End(false)
	last := "no check finished"
	for {
		problems := check(gather(ctx, u.spec, ms))
		if len(problems) == 0 {
			st.End(true)
			return nil
		}
		if ctx.Err() == nil {
			if p := strings.Join(problems, "; "); p != last {
				u.log.V(2, "   not yet: %s", p)
				last = p
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("sentinel group %q not healthy within --wait %s: %s", u.spec.Name, u.spec.Wait, last)
		case <-time.After(pollInterval):
		}
	}
}
