// Package compose is `redis-dock compose render`: the cluster as a
// compose file that `docker compose up` alone turns into a working
// cluster on a bridge network.
package compose

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/compose"
	"github.com/redis-dock/redis-dock/internal/cli"
	"github.com/redis-dock/redis-dock/internal/command/flags"
	"github.com/redis-dock/redis-dock/internal/netmode"
	"github.com/redis-dock/redis-dock/internal/selfboot"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// NewCommand returns `compose` with its `render` sub-command.
func NewCommand(env *cli.Env) *cobra.Command {
	cmd := &cobra.Command{Use: "compose", Short: "Render a compose file for a cluster"}
	cmd.AddCommand(newRender(env))
	return cmd
}

func newRender(env *cli.Env) *cobra.Command {
	sf := flags.NewSpecFlags()
	var dir, out string
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Print a compose file (and write the configs and password it refers to into --dir)",
		Long: "Print a compose file that `docker compose -p NAME up -d` (or docker-compose) turns into a healthy " +
			"cluster on its own: a service per node with a static address on a bridge network (--subnet, " +
			"default a /24 in 10.215.0.0/16 picked by name), ports published 1:1 on --host-ip, the password " +
			"as a secret, and a one-shot bootstrap service that forms or heals the cluster.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := sf.Spec(cmd)
			if err != nil {
				return err
			}
			return render(env, s, dir, out)
		},
	}
	sf.Register(cmd)
	cmd.Flags().StringVar(&dir, "dir", "", "directory for the configs and the password the file refers to (default ./<name>-compose)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the compose file here instead of stdout")
	return cmd
}

func render(env *cli.Env, s spec.Spec, dir, out string) error {
	if m, err := netmode.Lookup(s.Network); err != nil || m != netmode.Bridge { // a compose file is the bridge mode written down
		return fmt.Errorf("--network %s: compose files are rendered for bridge networks only", s.Network)
	}
	if s.Subnet == "" {
		s.Subnet = selfboot.DefaultBridgeSubnet(s.Name).String()
	}
	p, err := selfboot.FromSpec(s, s.Endpoint == spec.EndpointHostname)
	if err != nil {
		return err
	}
	if dir == "" {
		dir = p.Spec.Name + "-compose"
	}
	selfboot.KeepPassword(p, dir)
	generated, err := p.Spec.ResolvePassword()
	if err != nil {
		return err
	}
	files, err := selfboot.WriteFiles(p, dir, p.Spec.PasswordFile)
	if err != nil {
		return err
	}
	yml, err := compose.Render(p, files)
	if err != nil {
		return err
	}
	if out == "" {
		_, err = env.Stdout.Write(yml)
	} else if err = os.WriteFile(out, yml, 0o644); err != nil {
		err = fmt.Errorf("--out %s: %w", out, err)
	}
	if err != nil {
		return err
	}
	if generated {
		env.Logger.Infof(" • Generated a password into %s", files.Password)
	}
	env.Logger.Infof(" • Configs are in %s; start with: docker compose -p %s -f <the file> up -d", files.Dir, p.Spec.Name)
	return nil
}
