package stackplan

import (
	"fmt"
	"os"
	"path/filepath"
)

// PasswordFile is the name of the password file WriteFiles writes.
const PasswordFile = "password"

// Files says where, on the host that runs `docker stack deploy` or
// `docker compose up`, the file finds each node's base config and the
// password file.
type Files struct {
	Dir      string // holds ConfigFile(port) for every node
	Password string // the password file (its first line); "" with --no-password
	TLSDir   string // holds a file per TLS secret (Plan.TLSMounts); "" without TLS
	Users    string // the users secret's file; "" without ACL users
}

// ConfigFile is the name of a node's base config in Files.Dir.
func ConfigFile(port int) string { return fmt.Sprintf("redis-%d.conf", port) }

func abs(p string) string {
	if p == "" {
		return ""
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// WriteFiles writes what the stack file refers to into dir: each node's
// base config (no secret in it, mode 0644), the TLS material (keys
// mode 0600; see writeTLS) and, unless passwordFile
// names one or the spec has none, the password (mode 0600). It returns where they are.
func WriteFiles(p *Plan, dir, passwordFile string) (Files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Files{}, fmt.Errorf("--dir %s: %w", dir, err)
	}
	for _, n := range p.Nodes {
		path := filepath.Join(dir, ConfigFile(n.Port))
		if err := os.WriteFile(path, n.Conf, 0o644); err != nil {
			return Files{}, fmt.Errorf("failed to write %s: %w", path, err)
		}
	}
	f := Files{Dir: abs(dir), Password: abs(passwordFile)}
	if p.Spec.TLS {
		tdir, err := writeTLS(p, f.Dir)
		if err != nil {
			return Files{}, err
		}
		f.TLSDir = tdir
	}
	users, err := writeUsers(p, f.Dir)
	if err != nil {
		return Files{}, err
	}
	f.Users = users
	if passwordFile == "" && !p.Spec.NoPassword {
		f.Password = filepath.Join(f.Dir, PasswordFile)
		if err := writePrivate(f.Password, []byte(p.Spec.Password+"\n")); err != nil {
			return Files{}, err
		}
	}
	return f, nil
}

// writePrivate writes data readable by the owner only, also over an
// existing file with a wider mode.
func writePrivate(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err == nil {
		err = f.Chmod(0o600)
		if _, werr := f.Write(data); err == nil {
			err = werr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	return nil
}

// KeepPassword makes a render reuse the password (and user passwords)
// it wrote into dir before, unless one is given: a new password would not match the
// running cluster's (and Swarm refuses to change a secret).
func KeepPassword(p *Plan, dir string) {
	keepUserPasswords(p, dir)
	s := &p.Spec
	if s.Password != "" || s.PasswordFile != "" || s.NoPassword {
		return
	}
	path := filepath.Join(dir, PasswordFile)
	if _, err := os.Stat(path); err == nil {
		s.PasswordFile = path
	}
}
