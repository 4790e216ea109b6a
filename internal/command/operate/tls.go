//go:build !nodeimage

package operate

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
)

// newTLS is `redis-dock tls`: print a TLS cluster's CA, or write its
// client certificate, for clients such as redis-cli --tls.
func newTLS(t *target) *cobra.Command {
	var out, dir string
	ca := &cobra.Command{
		Use:   "ca",
		Short: "Print the cluster's CA certificate (PEM), for redis-cli --tls --cacert",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pem, err := redisdock.CACert(cmd.Context(), t.name)
			if err != nil {
				return err
			}
			return cmdutil.WriteOut(t.Stdout, out, pem)
		},
	}
	ca.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	client := &cobra.Command{
		Use:   "client",
		Short: "Write the client certificate and key (client.crt, client.key) of a cluster made with --tls-client-auth",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cert, key, err := redisdock.ClientCert(cmd.Context(), t.name)
			if err != nil {
				return err
			}
			for file, data := range map[string][]byte{"client.crt": cert, "client.key": key} {
				if err := os.WriteFile(filepath.Join(dir, file), data, 0o600); err != nil {
					return fmt.Errorf("--dir %s: %w", dir, err)
				}
			}
			t.printf("%s\n%s\n", filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key"))
			return nil
		},
	}
	client.Flags().StringVar(&dir, "dir", ".", "directory to write client.crt and client.key to (mode 0600)")
	cmd := t.command("tls", "Certificates of a cluster made with --tls", nil, nil)
	cmd.AddCommand(ca, client)
	return cmd
}
