package spec

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/redis-dock/redis-dock/internal/acl"
	"github.com/redis-dock/redis-dock/internal/netmode"
)

// ACL reports whether the cluster has ACL users (--user or
// --no-default-user): then redis-dock connects and replicates as its own
// admin user.
func (s Spec) ACL() bool { return len(s.Users) > 0 || s.NoDefaultUser }

// AdminUser is the user redis-dock connects and replicates as: "" (the
// default user) without ACL users, acl.Admin with them.
func (s Spec) AdminUser() string {
	if s.ACL() {
		return acl.Admin
	}
	return ""
}

// User is one --user, parsed.
type User struct {
	Name  string
	Rules []string
}

// ParsedUsers returns the --user entries parsed (Validate has checked them).
func (s Spec) ParsedUsers() []User {
	var out []User
	for _, u := range s.Users {
		if name, rules, err := acl.Parse(u); err == nil {
			out = append(out, User{Name: name, Rules: rules})
		}
	}
	return out
}

// UserPassword returns user name's resolved password.
func (s Spec) UserPassword(name string) (string, bool) {
	for _, kv := range s.UserPasswords {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// validateUsers checks --user, --no-default-user and the password flags
// of users before anything is created.
func (s Spec) validateUsers() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	names := map[string]bool{}
	for _, u := range s.Users {
		name, _, err := acl.Parse(u)
		if err != nil {
			add("--user %w", err)
			continue
		}
		if names[name] {
			add("--user %s: given twice; give each user once with all its rules", name)
		}
		names[name] = true
	}
	if !s.ACL() {
		if len(s.UserPasswordFiles) > 0 || len(s.UserPasswords) > 0 {
			add("--user-password-file and --user-password: need a --user")
		}
		return errs
	}
	flag := "--user"
	if len(s.Users) == 0 {
		flag = "--no-default-user"
	}
	if _, err := netmode.Lookup(s.Network); err != nil {
		add("%s with --network %s: ACL users are supported on the networks up makes: %s", flag, s.Network, strings.Join(netmode.Names(), ", "))
	}
	if s.NoPassword {
		add("%s with --no-password: redis-dock's own admin user needs a password; drop --no-password", flag)
	}
	given := map[string]string{}
	check := func(f, kv string, read func(v string) (string, error)) {
		name, v, ok := strings.Cut(kv, "=")
		switch {
		case !ok || v == "":
			add("%s %q: want NAME=VALUE", f, kv)
		case !names[name]:
			add("%s %s: no --user %s", f, name, name)
		case given[name] != "":
			add("%s %s: user %s's password is already given by %s; give one", f, name, name, given[name])
		default:
			given[name] = f
			pw, err := read(v)
			if err != nil {
				add("%s %s: %w", f, name, err)
			} else if strings.ContainsAny(pw, "\r\n\x00") {
				add("%s %s: the password must not contain newlines or NUL bytes", f, name)
			}
		}
	}
	for _, kv := range s.UserPasswordFiles {
		check("--user-password-file", kv, readUserPasswordFile)
	}
	for _, kv := range s.UserPasswords {
		check("--user-password", kv, func(v string) (string, error) { return v, nil })
	}
	return errs
}

func readUserPasswordFile(path string) (string, error) {
	pw, err := ReadPasswordFile(path)
	if err != nil {
		return "", errors.New(strings.TrimPrefix(err.Error(), "--password-file "))
	}
	return pw, nil
}

// ResolveUserPasswords gives every --user a password: from
// --user-password, --user-password-file or a generated one. Afterwards
// UserPasswords holds one NAME=PASSWORD per user.
func (s *Spec) ResolveUserPasswords() error {
	var out []string
	for _, u := range s.ParsedUsers() {
		pw, ok := s.UserPassword(u.Name)
		if !ok {
			for _, kv := range s.UserPasswordFiles {
				if name, path, _ := strings.Cut(kv, "="); name == u.Name {
					p, err := readUserPasswordFile(path)
					if err != nil {
						return fmt.Errorf("--user-password-file %s: %w", name, err)
					}
					pw, ok = p, true
				}
			}
		}
		if !ok {
			b := make([]byte, 24)
			if _, err := rand.Read(b); err != nil {
				return fmt.Errorf("failed to generate a password for user %s: %w", u.Name, err)
			}
			pw = base64.RawURLEncoding.EncodeToString(b)
		}
		out = append(out, u.Name+"="+pw)
	}
	s.UserPasswords = out
	return nil
}

// aclLines are the `user` lines of every node: redis-dock's admin user,
// each --user with its password's hash, and the default user off with
// --no-default-user. Nil without ACL users.
func (s Spec) aclLines() []string {
	if !s.ACL() {
		return nil
	}
	out := []string{acl.AdminLine(s.Password)}
	for _, u := range s.ParsedUsers() {
		pw, _ := s.UserPassword(u.Name)
		out = append(out, acl.Line(u.Name, pw, u.Rules))
	}
	if s.NoDefaultUser {
		out = append(out, "default off")
	}
	return out
}
