package nodeflags

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/nodeagent"
)

// Prepare is how bootstrap and check start: it checks the shape, reads
// the password and the CA (--tls-ca), and drops root (compose starts them as root so that they
// can read the secret) to the redis user.
func (f *Flags) Prepare() (password string, err error) {
	if err := f.Shape.Validate(); err != nil {
		return "", err
	}
	pw, err := f.Password()
	if err != nil {
		return "", err
	}
	if err := f.LoadTLS(); err != nil {
		return "", err
	}
	if err := nodeagent.DropRoot(nodeagent.RedisUID, nodeagent.RedisGID); err != nil {
		return "", err
	}
	return pw, nil
}

// Command is an in-image command (bootstrap, check) with the shared
// flags: run gets them and the password once Prepare has checked the
// shape and dropped root.
func Command(use, short string, run func(cmd *cobra.Command, f *Flags, password string) error) *cobra.Command {
	f := &Flags{}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw, err := f.Prepare()
			if err != nil {
				return err
			}
			return run(cmd, f, pw)
		},
	}
	f.Register(cmd)
	return cmd
}
