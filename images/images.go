// Package images makes the build context of the redis-dock node image: a
// Dockerfile (embedded templates) and the files it copies, as an in-memory,
// deterministic tar. It calls no Docker API; internal/docker builds it.
//
// Two variants: from a host redis-server (FROM scratch, holding only that
// binary, redis-cli and the shared libraries they load) or from a base image
// that already has Redis (FROM <base>). Both add the static redis-dock node
// binary, run as the unprivileged redis user and start
// `redis-server /etc/redis/redis.conf` in /data, without an entrypoint.
package images

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"time"
)

// Names and places shared by the image and the code that runs it.
const (
	Repo              = "redis-dock/node"
	DefaultImage      = Repo + ":latest"
	UID               = 999
	GID               = 999
	ConfigDir         = "/etc/redis"
	TLSDir            = ConfigDir + "/tls" // a TLS node's CA, certificate and key
	DataDir           = "/data"
	NodeBinaryPath    = "/usr/local/bin/redis-dock"
	LabelRedisVersion = "redis-dock.redis-version" // same as docker.LabelVersion
)

// Options says what to build the image from: exactly one of RedisBinary
// (a host redis-server) and Base (an image with Redis, present locally),
// plus the static node binary.
type Options struct {
	RedisBinary string
	Base        string
	NodeBinary  string
	// RedisVersion is the Redis version of Base, used for the version tag
	// and label; "" when unknown (the image is then tagged latest only).
	// With RedisBinary the version is read from the binary instead.
	RedisVersion string
	// Tag is one more tag of Repo to set, e.g. "dev"; optional.
	Tag string
	// OnlyTag sets Tag alone, not the version tag and latest: for a
	// second image of the same build beside the one in use.
	OnlyTag bool
	// Labels are extra image labels, e.g. a build stamp that gives the
	// same content another image ID (the build is otherwise reproducible).
	Labels map[string]string
}

// BuildContext is what the engine builds: the tar (Dockerfile included),
// the tags and labels to set, and the Redis version inside.
type BuildContext struct {
	Tar          []byte
	Tags         []string
	Labels       map[string]string
	RedisVersion string
	// Source is what the image is made from: a redis-server path or a base.
	Source string
	// ContentSize is the bytes of files the build adds: the image's size
	// for the scratch variant, before the engine measures it.
	ContentSize int64
	// NoCache makes the engine build every step afresh (for timing builds).
	NoCache bool
}

var (
	tagPattern     = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	refPattern     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:/@-]*$`)
	versionPattern = regexp.MustCompile(`\bv=([0-9A-Za-z._-]+)`)
)

// NewContext makes the build context for opts.
func NewContext(opts Options) (*BuildContext, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	var (
		fs  *rootfs
		df  []byte
		err error
	)
	if opts.RedisBinary != "" {
		fs, df, err = scratchContext(&opts)
	} else {
		fs, df, err = baseContext(opts)
	}
	if err != nil {
		return nil, err
	}
	fs.addBytes("Dockerfile", 0o644, df)
	tar, err := fs.tar()
	if err != nil {
		return nil, err
	}
	source := opts.Base
	if opts.RedisBinary != "" {
		source = opts.RedisBinary
	}
	lbl, err := sourceLabels(labels(opts.RedisVersion), opts)
	if err != nil {
		return nil, err
	}
	for k, v := range opts.Labels {
		if _, ours := lbl[k]; !ours {
			lbl[k] = v
		}
	}
	t := tags(opts.RedisVersion, opts.Tag)
	if opts.OnlyTag {
		t = []string{Repo + ":" + opts.Tag}
	}
	return &BuildContext{
		Tar:          tar,
		Tags:         t,
		Labels:       lbl,
		RedisVersion: opts.RedisVersion,
		Source:       source,
		ContentSize:  fs.size - int64(len(df)),
	}, nil
}

func (o Options) validate() error {
	switch {
	case o.RedisBinary != "" && o.Base != "":
		return errors.New("a redis binary and a base image are mutually exclusive")
	case o.RedisBinary == "" && o.Base == "":
		return errors.New("a redis binary or a base image is required")
	case o.NodeBinary == "":
		return errors.New("a node binary is required")
	case o.Base != "" && !refPattern.MatchString(o.Base):
		return fmt.Errorf("invalid base image reference %q", o.Base)
	case o.Tag != "" && !tagPattern.MatchString(o.Tag):
		return fmt.Errorf("invalid tag %q", o.Tag)
	case o.OnlyTag && o.Tag == "":
		return errors.New("only the extra tag was asked for, but no tag was given")
	case o.RedisVersion != "" && !tagPattern.MatchString(o.RedisVersion):
		return fmt.Errorf("invalid redis version %q", o.RedisVersion)
	}
	return nil
}

// ImageEnv names a variable that, when set, replaces DefaultImage as the
// default --image: scripts/test pins one image for a whole test run.
const ImageEnv = "REDIS_DOCK_IMAGE"

// DefaultNodeImage is $REDIS_DOCK_IMAGE, or DefaultImage when it is unset.
func DefaultNodeImage() string {
	if img := os.Getenv(ImageEnv); img != "" {
		return img
	}
	return DefaultImage
}

// tags are Repo:<version> (when known), Repo:latest and the extra tag.
func tags(version, extra string) []string {
	var t []string
	if version != "" {
		t = append(t, Repo+":"+version)
	}
	t = append(t, DefaultImage)
	if extra != "" && extra != version && extra != "latest" {
		t = append(t, Repo+":"+extra)
	}
	return t
}

func labels(version string) map[string]string {
	if version == "" {
		return map[string]string{}
	}
	return map[string]string{LabelRedisVersion: version}
}

// RedisVersion runs `<binary> --version` (named redis-server, since the
// binary picks its mode from argv[0]) and returns the v= field.
func RedisVersion(binary string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "--version")
	cmd.Args[0] = "redis-server"
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("failed to run %s --version: %w: %s", binary, err, out)
	}
	return parseVersion(string(out))
}

func parseVersion(out string) (string, error) {
	m := versionPattern.FindStringSubmatch(out)
	if m == nil || !tagPattern.MatchString(m[1]) {
		return "", fmt.Errorf("no redis version (v=...) in %q", out)
	}
	return m[1], nil
}
