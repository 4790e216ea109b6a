package render

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/command/flags"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
)

// NewConfig returns `config render`: the per-port redis.conf files, for
// running nodes by hand (host networking, as in the seeds).
func NewConfig(env *status.Env) *cobra.Command {
	var out, dir string
	sub := &cobra.Command{Short: "Write redis-<port>.conf for every node of a spec into --out"}
	cmd := group("config", "Work with node configs", sub, (*flags.SpecFlags).Register,
		func(cmd *cobra.Command, s spec.Spec) error {
			if !cmd.Flags().Changed("network") && !fileSetsNetwork(cmd) {
				s.Network = spec.NetworkHost
			}
			if err := s.Validate(); err != nil {
				return err
			}
			if out == "" {
				return fmt.Errorf("--out: name a directory to write the configs into")
			}
			return writeConfigs(env, s, dir, out)
		})
	sub.Flags().StringVar(&out, "out", "", "directory to write redis-<port>.conf files into (mode 0600)")
	sub.Flags().StringVar(&dir, "dir", "/data", "the nodes' data directory (dir)")
	return cmd
}

// writeConfigs writes s's redis.conf files, data directory dir, into out.
func writeConfigs(env *status.Env, s spec.Spec, dir, out string) error {
	files, err := cluster.RenderConfigs(s, dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	for _, f := range files {
		path := filepath.Join(out, f.Name)
		if err := writePrivate(path, f.Data); err != nil {
			return fmt.Errorf("failed to write %s: %w", path, err)
		}
		fmt.Fprintln(env.Stdout, path)
	}
	return nil
}

// fileSetsNetwork reports whether the -f spec file names a network, so
// render's host default applies unless the file or a flag chose one.
func fileSetsNetwork(cmd *cobra.Command) bool {
	path, _ := cmd.Flags().GetString("file")
	if path == "" {
		return false
	}
	s, err := spec.LoadFile(path, spec.Spec{})
	return err == nil && s.Network != ""
}

// writePrivate writes data readable by the owner only, also over an
// existing file with a wider mode (os.WriteFile keeps an existing mode).
func writePrivate(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
