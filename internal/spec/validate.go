package spec

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"regexp"
	"strings"

	"github.com/redis-dock/redis-dock/internal/netmode"
	"github.com/redis-dock/redis-dock/templates"
)

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// MaxNodes bounds a cluster to what one /24 bridge network holds.
const MaxNodes = 200

// Validate checks every field and returns all mistakes at once, each
// naming its flag and what is allowed.
func (s Spec) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !nameRE.MatchString(s.Name) || len(s.Name) > 40 {
		add("--name %q: use 1 to 40 characters of [a-z0-9-], starting with a letter or digit", s.Name)
	}
	switch s.Mode {
	case ModeCluster:
		if s.Masters < 3 {
			add("--masters %d: a Redis Cluster needs at least 3 masters", s.Masters)
		}
		errs = append(errs, s.validateNotSentinel()...)
	case ModeSentinel:
		errs = append(errs, s.validateSentinel()...)
	default:
		add("--mode %q: allowed are cluster or sentinel", s.Mode)
	}
	if s.Replicas < 0 {
		add("--replicas %d: must be 0 or more", s.Replicas)
	}
	if s.Mode == ModeCluster && s.Masters > 0 && s.Replicas >= 0 && s.Nodes() > MaxNodes {
		add("--masters %d with --replicas %d make %d nodes: at most %d are allowed", s.Masters, s.Replicas, s.Nodes(), MaxNodes)
	}
	errs = append(errs, s.validatePorts()...)
	errs = append(errs, s.validateNetwork()...)
	if s.NodeTimeout < 100 || s.NodeTimeout > 3600000 {
		add("--node-timeout %d: allowed are 100..3600000 milliseconds", s.NodeTimeout)
	}
	if s.Wait <= 0 {
		add("--wait %s: must be a positive duration such as 60s", s.Wait)
	}
	if s.Image == "" {
		add("--image: must name an image, such as %s", DefaultImage)
	}
	if err := templates.CheckExtra(s.Config); err != nil {
		errs = append(errs, err)
	}
	if err := s.validatePassword(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, s.validateLimits()...)
	errs = append(errs, s.validateUsers()...)
	return errors.Join(append(errs, s.validateTLS()...)...)
}

// validateTLS checks the TLS flags go together; the files themselves are
// read and checked by up before it creates anything.
func (s Spec) validateTLS() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !s.TLS {
		for _, f := range []struct {
			flag string
			set  bool
		}{{"--tls-client-auth", s.TLSClientAuth}, {"--tls-ca", s.TLSCA != ""}, {"--tls-cert-dir", s.TLSCertDir != ""}} {
			if f.set {
				add("%s: needs --tls", f.flag)
			}
		}
		return errs
	}
	if _, err := netmode.Lookup(s.Network); err != nil {
		add("--tls with --network %s: TLS is supported on the networks up makes: %s", s.Network, strings.Join(netmode.Names(), ", "))
	}
	if (s.TLSCA == "") != (s.TLSCertDir == "") {
		add("--tls-ca and --tls-cert-dir: give both (your CA and the node certificates it signed) or neither (redis-dock makes them)")
	}
	if s.TLSCA == "" && (s.TLSDays < 1 || s.TLSDays > 36500) {
		add("--tls-days %d: allowed are 1..36500", s.TLSDays)
	}
	return errs
}

func (s Spec) validatePorts() []error {
	var errs []error
	n := s.Nodes()
	if n < 1 {
		n = 1
	}
	if s.Port < 1 || s.Port+n-1 > 65535 {
		errs = append(errs, fmt.Errorf("--port %d: the %d client ports %d..%d must lie inside 1..65535", s.Port, n, s.Port, s.Port+n-1))
	}
	if s.Mode != ModeCluster {
		return errs
	}
	bus := s.FirstBusPort()
	if bus < 1 || bus+n-1 > 65535 {
		errs = append(errs, fmt.Errorf("--bus-port %d: the %d bus ports %d..%d must lie inside 1..65535 (default: --port + 10000)", bus, n, bus, bus+n-1))
	} else if bus <= s.Port+n-1 && s.Port <= bus+n-1 {
		errs = append(errs, fmt.Errorf("--bus-port %d: bus ports %d..%d overlap client ports %d..%d", bus, bus, bus+n-1, s.Port, s.Port+n-1))
	}
	return errs
}

func (s Spec) validateNetwork() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	mode, err := netmode.Lookup(s.Network)
	if err != nil {
		errs = append(errs, err)
	}
	switch s.Endpoint {
	case EndpointHostname, EndpointIP:
	default:
		add("--endpoint %q: allowed are hostname (clients on the host) or ip (clients inside Docker networks)", s.Endpoint)
	}
	for _, f := range []struct{ flag, v string }{{"--host-ip", s.HostIP}, {"--bind", s.Bind}, {"--announce-ip", s.AnnounceIP}} {
		if f.v == "" {
			continue
		}
		if _, err := netip.ParseAddr(f.v); err != nil {
			add("%s %q: must be an IP address", f.flag, f.v)
		}
	}
	if mode != nil {
		errs = append(errs, s.Net().Validate()...)
	}
	if s.Subnet != "" {
		if p, err := netip.ParsePrefix(s.Subnet); err != nil || !p.Addr().Is4() || p.Bits() > 24 {
			add("--subnet %q: must be an IPv4 CIDR of /24 or larger, such as 10.213.0.0/24", s.Subnet)
		}
	}
	return errs
}

func (s Spec) validatePassword() error {
	if s.Password != "" && s.PasswordFile != "" {
		return errors.New("--password and --password-file: give one, not both")
	}
	if s.NoPassword {
		if s.Password != "" || s.PasswordFile != "" {
			return errors.New("--no-password: cannot be combined with --password or --password-file")
		}
		if flag, addr := s.listenFlag(); !isLoopback(addr) {
			return fmt.Errorf("--no-password with %s %s: other hosts could use the cluster without a password; use a loopback address (%s 127.0.0.1) or give a password (--password-file)", flag, addr, flag)
		}
	}
	if s.PasswordFile == "" {
		if strings.ContainsAny(s.Password, "\r\n\x00") {
			return errors.New("--password: must not contain newlines or NUL bytes")
		}
		return nil
	}
	_, err := ReadPasswordFile(s.PasswordFile)
	return err
}

// ReadPasswordFile reads a password file: the first line, which must not be
// empty. A trailing newline is not part of the password.
func ReadPasswordFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--password-file %s: %w", path, err)
	}
	pw := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r")
	if pw == "" {
		return "", fmt.Errorf("--password-file %s: the file is empty; put the password on its first line", path)
	}
	if strings.ContainsRune(pw, 0) {
		return "", fmt.Errorf("--password-file %s: the password must not contain NUL bytes", path)
	}
	return pw, nil
}

// listenFlag is the flag and address where clients outside Docker reach
// the nodes, as the network mode says.
func (s Spec) listenFlag() (flag, addr string) {
	l := s.Net().Listen()
	return l.Flag, l.Address()
}

func isLoopback(addr string) bool {
	a, err := netip.ParseAddr(addr)
	return err == nil && a.IsLoopback()
}
