package nodeflags

import "github.com/redis-dock/redis-dock/internal/nodeagent"

// Prepare is how bootstrap and check start: it checks the shape, reads
// the password and drops root (compose starts them as root so that they
// can read the secret) to the redis user.
func (f *Flags) Prepare() (password string, err error) {
	if err := f.Shape.Validate(); err != nil {
		return "", err
	}
	pw, err := f.Password()
	if err != nil {
		return "", err
	}
	if err := nodeagent.DropRoot(nodeagent.RedisUID, nodeagent.RedisGID); err != nil {
		return "", err
	}
	return pw, nil
}
