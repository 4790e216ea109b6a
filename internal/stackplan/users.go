package stackplan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A stack with ACL users (--user, --no-default-user) keeps their `user`
// lines (with the password hashes) in one secret, mounted into the node
// services only; each node appends them to its redis.conf at start, with
// masteruser (the admin user), so replication and failover work with the
// default user off. The bootstrap and check jobs log in as the admin
// user with the stack's password.
const (
	UsersSecret = "users"
	UsersPath   = "/run/secrets/" + UsersSecret
)

// UsersFile is the users secret's content: a `user` line per user; nil
// without ACL users. The spec's user passwords must be resolved.
func (p *Plan) UsersFile() []byte {
	if !p.Spec.ACL() {
		return nil
	}
	var b strings.Builder
	for _, l := range p.Spec.NodeSettings().Users {
		b.WriteString("user " + l + "\n")
	}
	return []byte(b.String())
}

// UserPasswordFile is the file stack render writes user name's password
// into (mode 0600), beside the stack's password file.
func UserPasswordFile(name string) string { return "user-" + name + ".password" }

// keepUserPasswords makes a render reuse the user passwords it wrote into
// dir before, for users given none: new ones would change the users
// secret, which Swarm refuses.
func keepUserPasswords(p *Plan, dir string) {
	s := &p.Spec
	for _, u := range s.ParsedUsers() {
		if _, ok := s.UserPassword(u.Name); ok || hasPasswordFile(s.UserPasswordFiles, u.Name) {
			continue
		}
		path := filepath.Join(dir, UserPasswordFile(u.Name))
		if _, err := os.Stat(path); err == nil {
			s.UserPasswordFiles = append(s.UserPasswordFiles, u.Name+"="+path)
		}
	}
}

func hasPasswordFile(files []string, name string) bool {
	for _, kv := range files {
		if n, _, _ := strings.Cut(kv, "="); n == name {
			return true
		}
	}
	return false
}

// GeneratedUserPasswords names the users whose password neither
// --user-password nor --user-password-file gives: ResolveUserPasswords
// would make one up.
func (p *Plan) GeneratedUserPasswords() []string {
	var out []string
	for _, u := range p.Spec.ParsedUsers() {
		if _, ok := p.Spec.UserPassword(u.Name); !ok && !hasPasswordFile(p.Spec.UserPasswordFiles, u.Name) {
			out = append(out, u.Name)
		}
	}
	return out
}

// writeUsers writes the users secret's file and each user's password
// into dir (mode 0600); "" without ACL users.
func writeUsers(p *Plan, dir string) (string, error) {
	if !p.Spec.ACL() {
		return "", nil
	}
	for _, u := range p.Spec.ParsedUsers() {
		pw, ok := p.Spec.UserPassword(u.Name)
		if !ok {
			return "", fmt.Errorf("--user %s: no password resolved", u.Name)
		}
		if err := writePrivate(filepath.Join(dir, UserPasswordFile(u.Name)), []byte(pw+"\n")); err != nil {
			return "", err
		}
	}
	path := filepath.Join(dir, UsersSecret)
	return path, writePrivate(path, p.UsersFile())
}
