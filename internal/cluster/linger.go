package cluster

import (
	"context"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/status"
)

// lingerQuiet is how long nodes about to be removed must have answered
// no MOVED before they go.
const lingerQuiet = 2 * time.Second

// linger keeps the nodes about to be removed running until clients stop
// asking them for keys, at most max. A client whose slot map still names
// a drained node gets MOVED from it and reloads its whole map (go-redis
// does, and so do the other cluster clients); were the node gone instead,
// the client would get connection errors, since clients do not reload
// their map on those. So the nodes stay until their MOVED count has not
// grown for lingerQuiet. A client idle through all of it can still
// hold a stale map.
func linger(ctx context.Context, gone []*member, max time.Duration, log *status.Logger) {
	if len(gone) == 0 || max <= 0 {
		return
	}
	st := log.Start("Letting clients move off %d nodes before removing them", len(gone))
	defer st.End(true)
	begin, quietSince := time.Now(), time.Now()
	last := movedCount(ctx, gone)
	for time.Since(quietSince) < lingerQuiet {
		if time.Since(begin) > max {
			log.V(1, "   clients still get MOVED from them after %s; removing them anyway", max)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
		if n := movedCount(ctx, gone); n != last {
			last, quietSince = n, time.Now()
		}
	}
}

// movedCount sums the MOVED replies the nodes have sent (INFO
// errorstats); nodes that do not answer count as 0.
func movedCount(ctx context.Context, ms []*member) string {
	var b strings.Builder
	for _, m := range ms {
		info, err := m.conn.Info(ctx, "errorstats")
		if err == nil {
			b.WriteString(info["errorstat_MOVED"])
		}
		b.WriteByte(';')
	}
	return b.String()
}
