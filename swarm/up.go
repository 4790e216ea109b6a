package swarm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/status"
)

// Options are how to run a command, as opposed to what to build.
type Options struct {
	Docker *Docker // Connect
	Logger *Logger // NewLogger; nil: none
	Retain bool    // keep what a failed Up made
}

func (o Options) log() *status.Logger {
	if o.Logger == nil {
		return status.Discard()
	}
	return o.Logger
}

// Result is a deployed, healthy stack.
type Result struct {
	Spec     Spec   // with the subnet and password filled in
	Network  string // the overlay clients attach to
	Report   Report
	CACert   []byte // a TLS stack's CA certificate (PEM) made by this run; nil otherwise
	Existing bool   // the stack was already there
	Elapsed  time.Duration
}

// ErrNotManager says the engine cannot deploy services.
var ErrNotManager = errors.New("run `docker swarm init` to make this engine a single-node swarm, or point DOCKER_HOST at a manager")

// Up deploys the cluster as a stack named after it through the SDK
// (what `docker stack deploy` of `stack render` makes, with the same
// names and labels) and waits until a check from inside the overlay
// finds it healthy. An existing stack is only checked.
func Up(ctx context.Context, s Spec, o Options) (*Result, error) {
	begin := time.Now()
	if err := CheckSpec(s); err != nil {
		return nil, err
	}
	if err := checkManager(ctx, o.Docker); err != nil {
		return nil, err
	}
	if s.Encrypted {
		if err := checkEncrypted(ctx, o.Docker, o.log()); err != nil {
			return nil, err
		}
	}
	existing, err := o.Docker.Services(ctx, s.Name)
	if err != nil {
		return nil, err
	}
	u := &upRun{o: o, log: o.log()}
	var res *Result
	if len(existing) > 0 {
		res, err = u.reuse(ctx, s)
	} else {
		res, err = u.create(ctx, s)
	}
	if err != nil && u.created && !o.Retain {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		if _, derr := o.Docker.RemoveStack(cctx, s.Name, true); derr != nil {
			err = errors.Join(err, fmt.Errorf("cleanup also failed: %w", derr))
		} else {
			u.log.Infof(" • Removed what this run created (use --retain to keep it)")
		}
	}
	if res != nil {
		res.Elapsed = time.Since(begin)
	}
	return res, err
}

// checkManager refuses engines that are no swarm manager, naming the fix.
func checkManager(ctx context.Context, d *docker.Client) error {
	if err := d.Ping(ctx); err != nil {
		return err
	}
	st, err := d.SwarmState(ctx)
	if err != nil {
		return err
	}
	switch {
	case !st.Active:
		return fmt.Errorf("this Docker engine is not part of a swarm: %w", ErrNotManager)
	case !st.Manager:
		return fmt.Errorf("this Docker engine is a swarm worker, not a manager: %w", ErrNotManager)
	}
	return nil
}

type upRun struct {
	o       Options
	log     *status.Logger
	created bool
	plan    *stackplan.Plan
	refs    refs
	tls     *stackplan.TLS // nil without TLS
}

func (u *upRun) create(ctx context.Context, s Spec) (*Result, error) {
	if err := u.prepare(ctx, &s); err != nil {
		return nil, err
	}
	u.created = true
	steps := []func(context.Context) error{u.createNetwork, u.createFiles, u.createServices}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	return u.waitHealthy(ctx)
}

// prepare plans the stack: a free subnet, the password, the TLS
// certificates, the image.
func (u *upRun) prepare(ctx context.Context, s *Spec) error {
	if s.Subnet == "" {
		subnet, err := u.freeSubnet(ctx, s.Name)
		if err != nil {
			return err
		}
		s.Subnet = subnet.String()
	}
	p, err := stackplan.FromSpec(*s, false)
	if err != nil {
		return err
	}
	if generated, err := p.Spec.ResolvePassword(); err != nil {
		return err
	} else if generated {
		u.log.V(1, " • Generated a random password (kept in the Swarm secret %s)", secretName(p.Spec.Name))
	}
	if err := resolveUsers(p); err != nil {
		return err
	}
	u.plan = p
	if p.Spec.TLS {
		if u.tls, err = stackplan.MakeTLS(p, time.Now()); err != nil {
			return err
		}
	}
	_, err = nodeimage.Ensure(ctx, u.o.Docker, p.Spec.Image, images.Options{RedisBinary: p.Spec.RedisBinary}, u.log)
	return err
}

// freeSubnet picks a /24 in 10.214.0.0/16 that no network uses, starting
// at the one stack render would pick for the name.
func (u *upRun) freeSubnet(ctx context.Context, name string) (netip.Prefix, error) {
	used, err := u.o.Docker.UsedSubnets(ctx)
	if err != nil {
		return netip.Prefix{}, err
	}
	start := stackplan.DefaultSubnet(name).Addr().As4()[2]
	return docker.FreeSubnetIn(netip.MustParsePrefix("10.214.0.0/16"), int(start), used)
}

// waitHealthy runs a check job on the overlay until the cluster is
// healthy or --wait ends.
func (u *upRun) waitHealthy(ctx context.Context) (*Result, error) {
	st := u.log.Start("Waiting for the cluster to be healthy (checked from inside %s)", u.refs.networkName)
	defer st.End(false)
	rep, err := runCheck(ctx, u.o.Docker, u.plan, u.refs, u.plan.Spec.Wait)
	if err != nil {
		return nil, err
	}
	st.End(true)
	res := &Result{Spec: u.plan.Spec, Network: u.refs.networkName, Report: rep}
	if u.tls != nil {
		res.CACert = u.tls.CA
	}
	return res, nil
}

// runCheck runs `redis-dock check` as a job and parses its report; the
// error says what was wrong when the cluster is not healthy.
func runCheck(ctx context.Context, d *docker.Client, p *stackplan.Plan, r refs, wait time.Duration, extra ...string) (nodeagent.Report, error) {
	var rep nodeagent.Report
	ctx, cancel := context.WithTimeout(ctx, wait+2*time.Minute) // the job's own start and stop
	defer cancel()
	job := checkJob(p, r, wait, extra...)
	if err := pinHere(ctx, d, &job); err != nil {
		return rep, err
	}
	res, err := d.RunJob(ctx, job)
	if err != nil {
		return rep, err
	}
	if jerr := json.Unmarshal(res.Stdout, &rep); jerr != nil {
		return rep, fmt.Errorf("the check job printed no report (exit %d): %s", res.ExitCode, lastLines(res.Stderr, 5))
	}
	if res.ExitCode != 0 {
		return rep, fmt.Errorf("cluster %q is not healthy: %s", p.Spec.Name, lastLines(res.Stderr, 3))
	}
	return rep, nil
}

// pinHere runs job on the Swarm node of the engine we talk to, when
// tasks can be placed there: it is up, while the scheduler may assign a
// job to a host that went away before the managers noticed, where it
// never starts. A drained manager leaves the choice to the scheduler.
func pinHere(ctx context.Context, d *docker.Client, job *docker.Service) error {
	st, err := d.SwarmState(ctx)
	if err != nil {
		return err
	}
	nodes, err := d.SwarmNodes(ctx)
	if err != nil {
		return err
	}
	if c := hereConstraint(st.NodeID, nodes); c != "" {
		job.Constraints = append(job.Constraints, c)
	}
	return nil
}

// hereConstraint pins to node self if it takes tasks ("" if not).
func hereConstraint(self string, nodes []docker.SwarmNode) string {
	for _, n := range nodes {
		if n.ID == self && self != "" && n.Ready {
			return "node.id == " + self
		}
	}
	return ""
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// resolveUsers reads the ACL users' passwords. swarm up keeps no readable
// copy of a password it would make up (the users secret holds hashes),
// so each user's must be given; stack render writes generated ones into
// --dir.
func resolveUsers(p *stackplan.Plan) error {
	if gen := p.GeneratedUserPasswords(); len(gen) > 0 {
		return fmt.Errorf("--user %s: swarm up keeps no readable copy of a password it makes up: give it with --user-password-file %s=FILE (or use stack render, which writes it into --dir)", gen[0], gen[0])
	}
	return p.Spec.ResolveUserPasswords()
}
