//go:build !nodeimage

package up

import (
	"context"
	"fmt"
	"strings"
	"time"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

// upSentinel is `up --mode sentinel`.
func upSentinel(ctx context.Context, env *status.Env, s spec.Spec, retain bool) error {
	res, err := redisdock.UpSentinel(ctx, s, cluster.WithLogger(env.Logger), redisdock.WithRetain(retain))
	if err != nil {
		return err
	}
	w, sp := env.Stdout, res.Spec
	chain := ""
	if sp.Cascade && sp.Replicas > 1 {
		chain = ", chained"
	}
	fmt.Fprintf(w, "Sentinel group %q is healthy: 1 master, %d replicas%s, %d sentinels, quorum %d (%s).\n",
		sp.Name, sp.Replicas, chain, sp.SentinelCount(), sp.Quorum(), res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "Master name: %s\n", res.MasterName())
	fmt.Fprintf(w, "Sentinels: %s\n", strings.Join(res.SentinelAddrs(), ","))
	first := res.Nodes[len(res.Nodes)-sp.SentinelCount()].Port
	printTryIt(w, sp, fmt.Sprintf("-p %d SENTINEL GET-MASTER-ADDR-BY-NAME %s", first, res.MasterName()))
	return nil
}
