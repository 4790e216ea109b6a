package provision

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
)

// What every kind of upgrade (a Redis Cluster's, a sentinel group's)
// shares: its options and result, the new image's check, whether a node
// is current already, and how a node's container is made again.

// UpgradeOptions say what to roll through a cluster, and how.
type UpgradeOptions struct {
	Image string // the new node image; "" keeps the cluster's
	// Config replaces the extra redis.conf directives (up's --config);
	// nil keeps them, an empty slice removes them all.
	Config        []string
	DryRun        bool          // plan only
	AllowDowntime bool          // replace masters without replicas in place
	Wait          time.Duration // for each node and final health (default 60s)
}

// UpgradeResult is what an upgrade did (or, dry, would do).
type UpgradeResult struct {
	Spec      spec.Spec // the cluster's spec now (with its password)
	Plan      string    // the steps, one a line
	Replaced  []string  // containers made again from the new image/config
	Failovers []string  // "old -> new" masters
	SetLive   []string  // nodes given the new config at runtime
	Runtime   []string  // directives set at runtime (CONFIG SET)
	Restart   []string  // directives that needed a new container
	Skipped   []string  // nodes already on the new image and config
	Elapsed   time.Duration
}

// UpgradeSpec is s with the image and config of uo, and its wait.
func UpgradeSpec(s spec.Spec, uo UpgradeOptions) (spec.Spec, error) {
	if uo.Image != "" {
		s.Image = uo.Image
	}
	if uo.Config != nil {
		s.Config = append([]string{}, uo.Config...)
	}
	s.Wait = uo.Wait
	if s.Wait <= 0 {
		s.Wait = spec.Default().Wait
	}
	return s, s.Validate()
}

// NewImage reads the new image's ID and the Redis version it carries
// (images.LabelRedisVersion; "" when it has none). A missing image is
// an error, except in a dry run, which warns and gives an empty ID
// (every node is then planned for replacement).
func NewImage(ctx context.Context, o Options, image string, dry bool) (id, version string, err error) {
	info, err := o.Docker.ImageInspect(ctx, image)
	if err != nil {
		if dry {
			o.Log().Warnf("image %s is not present (upgrade builds redis-dock/node tags): every node would be replaced", image)
			return "", "", nil
		}
		return "", "", err
	}
	return info.ID, info.Labels[images.LabelRedisVersion], nil
}

// CheckRedisVersion refuses image, holding Redis next, when its major
// version is lower than running, the newest Redis a node (from) runs: it
// may not read their data. An image without the label is let through
// with a warning.
func CheckRedisVersion(o Options, image, next, running, from string) error {
	if next == "" {
		o.Log().Warnf("image %s carries no %s label: cannot check that it reads the data of Redis %s", image, images.LabelRedisVersion, running)
		return nil
	}
	if Major(next) < Major(running) {
		return fmt.Errorf("--image %s holds Redis %s, older than the Redis %s that %s runs: it may not read the nodes' data; choose an image of Redis %d or newer",
			image, next, running, from, Major(running))
	}
	return nil
}

// Major is the major number of a Redis version ("7.2.4" -> 7), -1 if none.
func Major(v string) int {
	n, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	if err != nil {
		return -1
	}
	return n
}

// SameContainer reports whether container c runs image imageID with
// want's container settings (limits, lock-down): only its node settings
// may differ, which may not need a new container.
func SameContainer(c docker.Container, imageID string, want spec.Spec) bool {
	return imageID != "" && c.ImageID == imageID && c.Labels[docker.LabelHost] == HostSettings(want)
}

// NodeConfig is the spec container c's node settings come from (its spec
// file when upgrade or scale wrote one, else its label, with password)
// and their hash: the config hash label when the label is the source.
func NodeConfig(ctx context.Context, d *docker.Client, c docker.Container, password string) (spec.Spec, string) {
	s, fromFile := ReadSpecFile(ctx, d, c)
	if !fromFile {
		s, _ = ParseSpecLabel(c.Labels)
	}
	s.Password = password
	if h := c.Labels[docker.LabelConfig]; !fromFile && h != "" {
		return s, h
	}
	return s, ConfigHash(s)
}

// Recreate stops container c, removes it (never its volume) and has
// start make the node again: the same name, volume, address and port.
// A failure to start names the volume kept, and says to run upgrade
// again.
func Recreate(ctx context.Context, o Options, c docker.Container, start func(context.Context) error) error {
	if err := o.Docker.Stop(ctx, c.ID, 10); err != nil {
		return err
	}
	if err := o.Docker.RemoveContainer(ctx, c.ID); err != nil {
		return err
	}
	if err := start(ctx); err != nil {
		return fmt.Errorf("failed to make node %s again (its volume %s, if it has one, is kept; run upgrade again): %w", c.Name, docker.VolumeName(c.Name), err)
	}
	return nil
}

// AddOnce appends s to list unless it holds it already.
func AddOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// Plan is an upgrade's steps in order (a cluster's or a sentinel
// group's); its text is what --dry-run prints.
type Plan[S fmt.Stringer] []S

func (p Plan[S]) String() string {
	if len(p) == 0 {
		return "nothing to do: every node runs the new image and config\n"
	}
	var b strings.Builder
	for i, s := range p {
		fmt.Fprintf(&b, "%2d. %s\n", i+1, s)
	}
	return b.String()
}

// SetStep is the text of a step that sets node's new config at runtime.
func SetStep(node string) string {
	return fmt.Sprintf("set the new config on %s at runtime (CONFIG SET, CONFIG REWRITE; no restart)", node)
}

// StepKind is one kind of step of a Redis Cluster's upgrade (made by up
// or as a Swarm stack).
type StepKind string

const (
	StepSet      StepKind = "set"      // runtime config on Node
	StepReplace  StepKind = "replace"  // Node is a replica (of Of): replace it
	StepFailover StepKind = "failover" // promote To in place of master Node
	StepDowntime StepKind = "downtime" // replace master Node, which has no replica
)

// Step is one step of a Redis Cluster's upgrade plan.
type Step struct {
	Kind StepKind
	Node string // the node the step works on
	Of   string // for replace: the master it replicates (at plan time)
	To   string // for failover: the replica promoted
	// Empty marks a downtime step whose master serves no slot: no
	// client notices it.
	Empty bool
}

func (s Step) String() string {
	switch s.Kind {
	case StepSet:
		return SetStep(s.Node)
	case StepFailover:
		return fmt.Sprintf("fail over %s to %s (CLUSTER FAILOVER)", s.Node, s.To)
	case StepDowntime:
		if s.Empty {
			return fmt.Sprintf("replace master %s, which serves no slot", s.Node)
		}
		return fmt.Sprintf("replace master %s, which has no replica: its slots are down meanwhile (--allow-downtime)", s.Node)
	}
	return fmt.Sprintf("replace %s (replica of %s)", s.Node, s.Of)
}

// Upgrading runs an upgrade's work under the creation lock (no lock for a
// dry run: it changes nothing) and records in res how long it took.
// lockImage is the image the lock's container is made from (one the
// nodes run).
func Upgrading(ctx context.Context, cr *Creation, lockImage string, dry bool, res *UpgradeResult, work func(context.Context) error) (*UpgradeResult, error) {
	begin := time.Now()
	if !dry {
		if err := cr.Hold(ctx, lockImage); err != nil {
			return nil, err
		}
		defer cr.Release(ctx)
	}
	if err := work(ctx); err != nil {
		return res, err
	}
	res.Elapsed = time.Since(begin)
	return res, nil
}

// Print writes what the upgrade did, or, dry, its plan.
func (r *UpgradeResult) Print(w io.Writer, dry bool) {
	if dry {
		fmt.Fprintf(w, "Plan for cluster %q (image %s):\n%s", r.Spec.Name, r.Spec.Image, r.Plan)
	} else {
		fmt.Fprintf(w, "Cluster %q runs image %s (%s).\n", r.Spec.Name, r.Spec.Image, r.Elapsed.Round(time.Millisecond))
	}
	for _, l := range []struct {
		what  string
		names []string
		sep   string
	}{
		{"Replaced", r.Replaced, " "}, {"Failed over", r.Failovers, ", "}, {"Config set at runtime on", r.SetLive, " "},
		{"Already current", r.Skipped, " "}, {"Set at runtime, no restart", r.Runtime, " "},
		{"Needed a restart (new containers)", r.Restart, " "},
	} {
		if len(l.names) > 0 && !(dry && l.what == "Already current") {
			fmt.Fprintf(w, "%s: %s\n", l.what, strings.Join(l.names, l.sep))
		}
	}
}
