package provision

import (
	"context"
	"path"
	"strings"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// usersFile keeps the ACL users' passwords (NAME=PASSWORD lines) in every
// node container, in PrivateDir (root, 0600): the nodes' configs keep only
// their hashes, and `redis-dock password --user` and `scale` read them
// back from here. They are stored nowhere else.
var usersFile = path.Join(PrivateDir, "users")

// UserFiles are the files that give a node the users' passwords; none
// without --user.
func UserFiles(s spec.Spec) []docker.File {
	if len(s.Users) == 0 {
		return nil
	}
	return []docker.File{{Path: usersFile, Mode: 0o600, Data: []byte(strings.Join(s.UserPasswords, "\n") + "\n")}}
}

// ReadUserPasswords reads the users' passwords (NAME=PASSWORD) back from
// the first node container that has them; nil for a cluster without
// --user.
func ReadUserPasswords(ctx context.Context, d *docker.Client, s spec.Spec, nodes []docker.Container) ([]string, error) {
	if len(s.Users) == 0 {
		return nil, nil
	}
	b, err := readFromAny(ctx, d, nodes, "the users' passwords", usersFile)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(b)), nil
}
