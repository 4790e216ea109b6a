package flags

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
)

// RegisterMove adds the flags that tune slot moves to cmd.
func RegisterMove(cmd *cobra.Command, mo *cluster.MoveOptions) {
	fs := cmd.Flags()
	fs.IntVar(&mo.KeysPerMigrate, "keys-per-migrate", 128, "keys per MIGRATE (and per GETKEYSINSLOT)")
	fs.IntVar(&mo.SlotsPerBatch, "slots-per-batch", 256, "slots moved together between one source and one target")
	fs.IntVar(&mo.Parallel, "parallel", 2, "source masters moving slots at the same time")
}

// Open returns a Docker client and the options day-2 commands run with;
// the caller closes the client.
func Open(env *cli.Env) (*docker.Client, cluster.Options, error) {
	d, err := docker.New()
	if err != nil {
		return nil, cluster.Options{}, err
	}
	return d, cluster.Options{Logger: env.Logger, Docker: d}, nil
}
