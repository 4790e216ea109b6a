package spec

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel-mode defaults, used when the fields are left at zero.
const (
	DefaultSentinels = 3
	DefaultDownAfter = 5000
)

// SentinelCount is the number of sentinels (DefaultSentinels when unset).
func (s Spec) SentinelCount() int {
	if s.Sentinels == 0 {
		return DefaultSentinels
	}
	return s.Sentinels
}

// Quorum is how many sentinels must agree the master is down: a majority.
func (s Spec) Quorum() int { return s.SentinelCount()/2 + 1 }

// DownAfterMillis is down-after-milliseconds (DefaultDownAfter when unset).
func (s Spec) DownAfterMillis() int {
	if s.DownAfter == 0 {
		return DefaultDownAfter
	}
	return s.DownAfter
}

// FailoverTimeout is failover-timeout in milliseconds: long enough for a
// local promotion, short enough that a failed attempt (retried after twice
// this) does not stall for Redis's default three minutes.
func (s Spec) FailoverTimeout() int { return max(10000, 2*s.DownAfterMillis()) }

// validateSentinel checks the fields of sentinel mode.
func (s Spec) validateSentinel() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if s.Masters != 1 {
		add("--masters %d: sentinel mode has exactly one master; leave --masters out (size it with --replicas and --sentinels)", s.Masters)
	}
	if s.Replicas < 1 {
		add("--replicas %d: sentinel mode needs at least 1 replica to fail over to", s.Replicas)
	}
	if s.Sentinels < 0 {
		add("--sentinels %d: must be 1 or more (default %d; an odd number is best)", s.Sentinels, DefaultSentinels)
	}
	if s.DownAfter != 0 && (s.DownAfter < 100 || s.DownAfter > 3600000) {
		add("--down-after %d: allowed are 100..3600000 milliseconds", s.DownAfter)
	}
	if s.Nodes() > MaxNodes {
		add("--replicas %d with --sentinels %d make %d containers: at most %d are allowed", s.Replicas, s.SentinelCount(), s.Nodes(), MaxNodes)
	}
	pw := s.Password
	if s.PasswordFile != "" {
		pw, _ = ReadPasswordFile(s.PasswordFile) // its own errors come from validatePassword
	}
	if err := sentinelPassword(pw); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// validateNotSentinel refuses sentinel-only fields in cluster mode.
func (s Spec) validateNotSentinel() []error {
	var errs []error
	for _, f := range []struct {
		flag string
		set  bool
	}{{"--sentinels", s.Sentinels != 0}, {"--cascade", s.Cascade}, {"--down-after", s.DownAfter != 0}} {
		if f.set {
			errs = append(errs, fmt.Errorf("%s: only with --mode sentinel", f.flag))
		}
	}
	return errs
}

// sentinelPassword refuses passwords that Redis 7.0's sentinel cannot
// keep: it rewrites auth-pass and sentinel-pass into sentinel.conf
// without quoting them, so a space or quote breaks its next start.
func sentinelPassword(pw string) error {
	for i := 0; i < len(pw); i++ {
		if c := pw[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`"'\`, c) >= 0 {
			return errors.New("--password: in sentinel mode use printable ASCII without spaces, quotes or backslashes (sentinel rewrites it into sentinel.conf unquoted)")
		}
	}
	return nil
}
