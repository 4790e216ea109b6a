package spec

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadFile reads a YAML spec over the defaults. Unknown fields are errors
// that carry their line number.
func LoadFile(path string, base Spec) (Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return base, fmt.Errorf("-f %s: %w", path, err)
	}
	return Parse(b, base, path)
}

// Parse decodes YAML strictly into base.
func Parse(b []byte, base Spec, source string) (Spec, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	s := base
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return base, fmt.Errorf("%s: %w", source, readable(err))
	}
	return s, nil
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// readable says "unknown key" where yaml.v3 names a Go type, one line per
// problem.
func readable(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		msgs[i] = unknownField.ReplaceAllString(m, "unknown key $1 (the keys are up's flag names, such as masters)")
	}
	return errors.New(strings.Join(msgs, "; "))
}

// ResolvePassword fills Password from the password file, or with a random
// one when neither is given. It returns whether it generated one.
func (s *Spec) ResolvePassword() (generated bool, err error) {
	if s.PasswordFile != "" {
		s.Password, err = ReadPasswordFile(s.PasswordFile)
		return false, err
	}
	if s.Password != "" || s.NoPassword {
		return false, nil
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return false, fmt.Errorf("failed to generate a password: %w", err)
	}
	s.Password = base64.RawURLEncoding.EncodeToString(b)
	return true, nil
}
