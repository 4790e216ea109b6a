package flags

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cluster"
)

// RegisterMove adds the flags that tune slot moves to cmd.
func RegisterMove(cmd *cobra.Command, mo *cluster.MoveOptions) {
	fs := cmd.Flags()
	fs.IntVar(&mo.KeysPerMigrate, "keys-per-migrate", 128, "keys per MIGRATE (and per GETKEYSINSLOT)")
	fs.IntVar(&mo.SlotsPerBatch, "slots-per-batch", 256, "slots moved together between one source and one target")
	fs.IntVar(&mo.Parallel, "parallel", 2, "source masters moving slots at the same time")
}
