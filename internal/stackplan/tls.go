package stackplan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/tlsca"
	"github.com/redis-dock/redis-dock/templates"
)

// A TLS stack's material travels as secrets: the CA's certificate (to
// every service: the nodes trust their peers by it, the bootstrap and
// check jobs their nodes) and each node's certificate and key (to that
// node only). They are mounted where the rendered redis.conf reads them
// (templates.TLSIn(images.TLSDir)), owned by the redis user, mode 0400.
// The CA's key is kept nowhere: a stack's nodes are all made at once.
const CASecret = "tls-ca"

// CAPath is where every service of a TLS stack finds the CA.
const CAPath = images.TLSDir + "/" + templates.TLSCAFile

// CertSecret and KeySecret are node port's secrets (keys in the stack
// file; <stack>_<key> in Swarm, as the file names in Files.TLSDir).
func CertSecret(port int) string { return fmt.Sprintf("tls-node-%d.crt", port) }

// KeySecret is CertSecret's key.
func KeySecret(port int) string { return fmt.Sprintf("tls-node-%d.key", port) }

// Mount is a secret (by its key) at a path inside a service's tasks.
type Mount struct{ Secret, Target string }

// TLSMounts are the TLS secrets of node n's service, or of the bootstrap
// and check jobs when n is nil; none without TLS.
func (p *Plan) TLSMounts(n *Node) []Mount {
	if !p.Spec.TLS {
		return nil
	}
	out := []Mount{{CASecret, CAPath}}
	if n != nil {
		out = append(out, Mount{CertSecret(n.Port), images.TLSDir + "/" + templates.TLSCertFile},
			Mount{KeySecret(n.Port), images.TLSDir + "/" + templates.TLSKeyFile})
	}
	return out
}

// TLS is a stack's TLS material: the CA's certificate and every node's
// pair, by port.
type TLS struct {
	CA    []byte
	Nodes map[int]tlsca.Pair
}

// Secrets are the material by secret key.
func (t *TLS) Secrets() map[string][]byte {
	out := map[string][]byte{CASecret: t.CA}
	for port, pair := range t.Nodes {
		out[CertSecret(port)], out[KeySecret(port)] = pair.Cert, pair.Key
	}
	return out
}

// MakeTLS makes the stack's CA and a certificate per node for the names
// the node is reached by on the overlay: its service name (node-<port>,
// also its hostname), the stack-qualified name and, for a shell inside
// the task, localhost. Task addresses change with every task, so none is
// in a certificate; redis-server checks its peers by the CA, and so does
// the node image's client (redisx's chainConfig).
func MakeTLS(p *Plan, now time.Time) (*TLS, error) {
	if p.Spec.TLSDays < 1 {
		return nil, errors.New("--tls-days: must be 1 or more")
	}
	a, err := tlsca.New(p.Spec.Name, p.Spec.TLSDays, now)
	if err != nil {
		return nil, err
	}
	t := &TLS{CA: a.CACert, Nodes: map[int]tlsca.Pair{}}
	for _, n := range p.Nodes {
		pair, err := a.Issue(n.Service, []string{n.Service, p.Spec.Name + "_" + n.Service, "localhost", "127.0.0.1"}, now)
		if err != nil {
			return nil, err
		}
		t.Nodes[n.Port] = pair
	}
	return t, nil
}

// TLSDirName is the folder beside the configs that WriteFiles writes the
// TLS material into, one file per secret.
const TLSDirName = "tls"

// writeTLS writes the material into dir/tls (keys mode 0600), keeping
// what an earlier render wrote there: Swarm refuses to change a secret,
// and new certificates would not match a running stack's.
func writeTLS(p *Plan, dir string) (string, error) {
	tdir := filepath.Join(dir, TLSDirName)
	if _, err := os.Stat(filepath.Join(tdir, CASecret)); err == nil {
		return tdir, nil
	}
	t, err := MakeTLS(p, time.Now())
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(tdir, 0o700); err != nil {
		return "", fmt.Errorf("--dir %s: %w", dir, err)
	}
	for key, data := range t.Secrets() {
		if err := writePrivate(filepath.Join(tdir, key), data); err != nil {
			return "", err
		}
	}
	return tdir, nil
}
