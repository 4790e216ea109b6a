package render

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/compose"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/command/flags"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

// NewCompose returns `compose render`: the cluster as a compose file that
// `docker compose up` alone turns into a working cluster on a bridge
// network.
func NewCompose(env *status.Env) *cobra.Command {
	var dir, out string
	sub := &cobra.Command{
		Short: "Print a compose file (and write the configs and password it refers to into --dir)",
		Long: "Print a compose file that `docker compose -p NAME up -d` (or docker-compose) turns into a healthy " +
			"cluster on its own: a service per node with a static address on a bridge network (--subnet, " +
			"default a /24 in 10.215.0.0/16 picked by name), ports published 1:1 on --host-ip, the password " +
			"as a secret, and a one-shot bootstrap service that forms or heals the cluster.",
	}
	cmd := group("compose", "Render a compose file for a cluster", sub, (*flags.SpecFlags).Register,
		func(_ *cobra.Command, s spec.Spec) error { return renderCompose(env, s, dir, out) })
	sub.Flags().StringVar(&dir, "dir", "", "directory for the configs and the password the file refers to (default ./<name>-compose)")
	sub.Flags().StringVarP(&out, "out", "o", "", "write the compose file here instead of stdout")
	return cmd
}

func renderCompose(env *status.Env, s spec.Spec, dir, out string) error {
	r, err := compose.Render(s, dir)
	if err != nil {
		return err
	}
	if err := cmdutil.WriteOut(env.Stdout, out, r.YAML); err != nil {
		return err
	}
	if r.GeneratedPassword {
		env.Logger.Infof(" • Generated a password into %s", r.Files.Password)
	}
	env.Logger.Infof(" • Configs are in %s; start with: docker compose -p %s -f <the file> up -d", r.Files.Dir, r.Spec.Name)
	return nil
}
