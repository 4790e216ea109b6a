package render

import (
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/command/flags"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/swarm"
)

// NewStack returns `stack render`: the cluster as a stack file that
// `docker stack deploy` alone turns into a working cluster.
func NewStack(env *status.Env) *cobra.Command {
	f := &stackFlags{}
	sub := &cobra.Command{
		Short: "Print a stack file (and write the configs and password it refers to into --dir)",
		Long: "Print a stack file that `docker stack deploy -c FILE NAME` turns into a healthy cluster on its own: " +
			"a service per node on an attachable overlay network (--subnet), redis.conf as Swarm configs, " +
			"the password as a Swarm secret, and a one-shot bootstrap service that forms or heals the cluster.",
	}
	cmd := group("stack", "Render a Swarm stack file for a cluster", sub, (*flags.SpecFlags).RegisterSwarm,
		func(_ *cobra.Command, s spec.Spec) error { return renderStack(env, s, f) })
	fs := sub.Flags()
	fs.StringVar(&f.dir, "dir", "", "directory for the configs and the password the stack file refers to (default ./<name>-stack)")
	fs.StringVarP(&f.out, "out", "o", "", "write the stack file here instead of stdout")
	fs.StringSliceVar(&f.placement, "placement", nil, "Swarm node hostnames to spread the nodes over, replicas away from their master")
	return cmd
}

// stackFlags are stack render's own flags.
type stackFlags struct {
	dir       string
	out       string
	placement []string
}

func renderStack(env *status.Env, s spec.Spec, f *stackFlags) error {
	if err := swarm.CheckSpec(s); err != nil {
		return err
	}
	if s.Encrypted {
		if w := swarm.CheckEncryptedRender(); w != "" {
			env.Logger.Warnf("%s", w)
		}
	}
	p, err := stackplan.FromSpec(s, false)
	if err != nil {
		return err
	}
	if f.dir == "" {
		f.dir = p.Spec.Name + "-stack"
	}
	stackplan.KeepPassword(p, f.dir)
	generated, err := p.Spec.ResolvePassword()
	if err != nil {
		return err
	}
	if err := p.Spec.ResolveUserPasswords(); err != nil {
		return err
	}
	files, err := swarm.WriteFiles(p, f.dir, p.Spec.PasswordFile)
	if err != nil {
		return err
	}
	yml, err := swarm.Render(p, files, swarm.Placement{Key: "node.hostname", Hosts: f.placement})
	if err != nil {
		return err
	}
	if err := cmdutil.WriteOut(env.Stdout, f.out, yml); err != nil {
		return err
	}
	if generated {
		env.Logger.Infof(" • Generated a password into %s", files.Password)
	}
	if files.TLSDir != "" {
		env.Logger.Infof(" • TLS certificates and keys (one file per Swarm secret) are in %s; clients trust %s", files.TLSDir, filepath.Join(files.TLSDir, stackplan.CASecret))
	}
	if files.Users != "" {
		env.Logger.Infof(" • ACL users: the users secret is %s, each user's password %s", files.Users, filepath.Join(files.Dir, stackplan.UserPasswordFile("NAME")))
	}
	env.Logger.Infof(" • Configs are in %s; deploy with: docker stack deploy -c %s %s", files.Dir, orStdin(f.out), p.Spec.Name)
	return nil
}

func orStdin(out string) string {
	if strings.TrimSpace(out) == "" {
		return "<the file>"
	}
	return out
}
