//go:build !nodeimage

// Package tls is `redis-dock tls`: print a TLS cluster's CA, or write its
// client certificate, for clients such as redis-cli --tls.
package tls

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/status"
)

// NewCommand returns `tls` with its sub-commands.
func NewCommand(env *status.Env) *cobra.Command {
	return cmdutil.Group("tls", "Certificates of a cluster made with --tls", newCA(env), newClient(env))
}

func newCA(env *status.Env) *cobra.Command {
	var name, out string
	cmd := &cobra.Command{
		Use:   "ca",
		Short: "Print the cluster's CA certificate (PEM), for redis-cli --tls --cacert",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pem, err := redisdock.CACert(cmd.Context(), name)
			if err != nil {
				return err
			}
			return cmdutil.WriteOut(env.Stdout, out, pem)
		},
	}
	cmdutil.NameFlag(cmd.Flags(), &name, "cluster name")
	cmd.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	return cmd
}

func newClient(env *status.Env) *cobra.Command {
	var name, dir string
	cmd := &cobra.Command{
		Use:   "client",
		Short: "Write the client certificate and key (client.crt, client.key) of a cluster made with --tls-client-auth",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cert, key, err := redisdock.ClientCert(cmd.Context(), name)
			if err != nil {
				return err
			}
			for file, data := range map[string][]byte{"client.crt": cert, "client.key": key} {
				if err := os.WriteFile(filepath.Join(dir, file), data, 0o600); err != nil {
					return fmt.Errorf("--dir %s: %w", dir, err)
				}
			}
			fmt.Fprintf(env.Stdout, "%s\n%s\n", filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key"))
			return nil
		},
	}
	cmdutil.NameFlag(cmd.Flags(), &name, "cluster name")
	cmd.Flags().StringVar(&dir, "dir", ".", "directory to write client.crt and client.key to (mode 0600)")
	return cmd
}
