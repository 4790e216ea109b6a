// Package nodeflags binds the flags the in-image commands (node,
// bootstrap, check) share: the cluster's shape, how its nodes are named,
// and where the password file is.
package nodeflags

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/nodeagent"
)

// Flags are the shared values.
type Flags struct {
	Shape        nodeagent.Shape
	PasswordFile string
	TLSCAFile    string
}

// Register adds the shared flags to cmd.
func (f *Flags) Register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.Shape.Name, "name", "default", "cluster name")
	fs.IntVar(&f.Shape.Masters, "masters", 3, "number of masters")
	fs.IntVar(&f.Shape.Replicas, "replicas", 1, "replicas per master")
	fs.IntVar(&f.Shape.Port, "port", 7000, "first client port; node i listens on port+i")
	fs.IntVar(&f.Shape.BusPort, "bus-port", 0, "first cluster bus port (default port+10000)")
	fs.StringVar(&f.Shape.Prefix, "service-prefix", "node-", "node i is reached at the DNS name <prefix><port+i>")
	fs.StringVar(&f.PasswordFile, "password-file", "", "file whose first line is the password (a Swarm or compose secret)")
	fs.StringVar(&f.Shape.User, "user", "", "the ACL user to authenticate as (the cluster's admin user); default: the default user")
	fs.StringVar(&f.TLSCAFile, "tls-ca", "", "the cluster's CA certificate (PEM; a Swarm secret): the nodes speak TLS")
}

// LoadTLS reads --tls-ca into Shape.TLS (nothing without it).
func (f *Flags) LoadTLS() (err error) {
	f.Shape.TLS, err = nodeagent.ReadCA(f.TLSCAFile)
	return err
}

// Password reads the password file ("" without one).
func (f *Flags) Password() (string, error) { return nodeagent.ReadPassword(f.PasswordFile) }
