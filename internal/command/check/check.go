// Package check is `redis-dock check`, run in the node image on the
// cluster's network: it waits for the cluster to be healthy, prints every
// node as JSON, and can write and read keys through a cluster client.
package check

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/command/nodeflags"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
	"github.com/redis-dock/redis-dock/internal/status"
)

// NewCommand returns the check command.
func NewCommand(env *status.Env) *cobra.Command {
	o := nodeagent.CheckOptions{}
	cmd := nodeflags.Command("check", "Wait for a healthy cluster from inside its network, report its nodes as JSON, optionally write and read keys",
		func(cmd *cobra.Command, f *nodeflags.Flags, pw string) error {
			o.Log = env.Logger
			r, err := nodeagent.Check(cmd.Context(), f.Shape, pw, o, nodeagent.DNS)
			if encErr := cmdutil.PrintJSON(env.Stdout, r); err == nil {
				err = encErr
			}
			return err
		})
	fs := cmd.Flags()
	fs.DurationVar(&o.Wait, "wait", 2*time.Minute, "how long to wait for health (and the keys)")
	fs.IntVar(&o.Write, "write-keys", 0, "write this many keys <prefix>:<i> and read them back")
	fs.IntVar(&o.Verify, "verify-keys", 0, "read back this many keys written earlier")
	fs.StringVar(&o.Prefix, "prefix", "redis-dock-check", "key prefix for --write-keys and --verify-keys")
	fs.StringVar(&o.Failover, "failover", "", "once healthy, promote this replica (a node's service name, such as node-7003) with CLUSTER FAILOVER and wait for health again")
	return cmd
}
