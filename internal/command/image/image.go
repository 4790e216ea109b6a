// Package image is `redis-dock image build`: build the redis-dock/node image
// from a host redis-server or a local base image.
package image

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/command/cmdutil"
	"github.com/redis-dock/redis-dock/internal/command/engine"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/status"
)

// NewCommand returns `image` with its `build` sub-command.
func NewCommand(env *status.Env) *cobra.Command {
	return cmdutil.Group("image", "Work with the redis-dock node image", newBuild(env))
}

type buildFlags struct {
	redisBinary string
	base        string
	nodeBinary  string
	tag         string
	onlyTag     bool
	labels      map[string]string
}

func newBuild(env *status.Env) *cobra.Command {
	f := &buildFlags{}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build " + images.Repo + ":<redis version> and :latest",
		Long: "Build the node image clusters run. By default it holds the redis-server found on PATH, " +
			"the libraries it loads and the redis-dock node binary, on an empty (scratch) base.",
		Args:    cobra.NoArgs,
		PreRunE: func(*cobra.Command, []string) error { return f.validate() },
		RunE: engine.Connected(func(cmd *cobra.Command, _ []string, d *docker.Client) error {
			return runBuild(cmd, env, d, f)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.redisBinary, "redis-binary", "", "redis-server to put in a scratch image (default: redis-server on PATH)")
	fl.StringVar(&f.base, "base", "", "local image with Redis to build on instead (e.g. redis:7.2)")
	fl.StringVar(&f.nodeBinary, "node-binary", "", "static redis-dock binary to add (default: "+images.NodeBinaryName+" beside redis-dock)")
	fl.StringVar(&f.tag, "tag", "", "one more tag of "+images.Repo+" to set")
	fl.BoolVar(&f.onlyTag, "only-tag", false, "set only --tag (not the version tag and latest)")
	fl.StringToStringVar(&f.labels, "label", nil, "extra image label KEY=VALUE (repeatable); another value gives the same content another image ID")
	return cmd
}

func runBuild(cmd *cobra.Command, env *status.Env, d *docker.Client, f *buildFlags) error {
	if err := d.Ping(cmd.Context()); err != nil {
		return err
	}
	bc, err := nodeimage.Build(cmd.Context(), d, images.Options{
		RedisBinary: f.redisBinary, Base: f.base, NodeBinary: f.nodeBinary, Tag: f.tag,
		OnlyTag: f.onlyTag, Labels: f.labels,
	}, env.Logger)
	if err != nil {
		return err
	}
	for _, t := range bc.Tags {
		fmt.Fprintln(env.Stdout, t)
	}
	return nil
}

func (f *buildFlags) validate() error {
	if f.redisBinary != "" && f.base != "" {
		return errors.New("--redis-binary and --base are mutually exclusive")
	}
	if f.onlyTag && f.tag == "" {
		return errors.New("--only-tag: give the tag to set with --tag")
	}
	for k := range f.labels {
		if strings.HasPrefix(k, "redis-dock.") {
			return fmt.Errorf("--label %s: the redis-dock. prefix is the image's own; choose another key", k)
		}
	}
	if err := regularFile("--redis-binary", f.redisBinary); err != nil {
		return err
	}
	return regularFile("--node-binary", f.nodeBinary)
}

// regularFile checks a path flag's value, naming the flag.
func regularFile(flag, path string) error {
	if path == "" {
		return nil
	}
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s %s: no such file", flag, path)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s %s: not a regular file", flag, path)
	}
	return nil
}
