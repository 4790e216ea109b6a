package lab

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/status"
)

// ErrNoNesting says this machine's engine cannot run a lab host's engine.
var ErrNoNesting = errors.New("nested Docker engines cannot run here")

// Host is one lab host.
type Host struct {
	Name       string
	IP         netip.Addr
	DockerHost string // how to reach its engine
	Manager    bool   // a swarm manager
}

// Result is a lab that is up.
type Result struct {
	Name    string
	Subnet  netip.Prefix
	Hosts   []Host
	Elapsed time.Duration
}

// Manager is the first manager's DOCKER_HOST.
func (r *Result) Manager() string { return r.Hosts[0].DockerHost }

// Up makes the lab: its network, its hosts with their engines, the node
// image in every engine, and a swarm of them. A failure removes what was
// made, unless o.Retain.
func Up(ctx context.Context, c Config, o Options) (*Result, error) {
	begin := time.Now()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	u := &upRun{c: c, o: o, log: o.log(), res: &Result{Name: c.Name}}
	if err := u.preflight(ctx); err != nil {
		return nil, err
	}
	steps := []func(context.Context) error{u.images, u.network, u.hosts, u.waitEngines, u.loadImage, u.swarm}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, u.undo(ctx, err)
		}
	}
	u.res.Elapsed = time.Since(begin)
	return u.res, nil
}

type upRun struct {
	c       Config
	o       Options
	log     *status.Logger
	res     *Result
	created bool
	node    []byte // the node image, saved
	ids     []string
	engines []*docker.Client
}

// preflight refuses what cannot work before anything is made.
func (u *upRun) preflight(ctx context.Context) error {
	if err := checkBinaries("/"); err != nil {
		return err
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("lab needs root: the lab's engines are reached through sockets under %s, which only root can read", RunDir)
	}
	if err := u.o.Docker.Ping(ctx); err != nil {
		return err
	}
	hosts, err := u.o.Docker.LabHosts(ctx, u.c.Name)
	if err != nil {
		return err
	}
	if len(hosts) > 0 {
		return fmt.Errorf("--name %s: a lab of that name exists (remove it with `redis-dock lab down --name %s`)", u.c.Name, u.c.Name)
	}
	return nil
}

// undo removes what the run made, unless --retain.
func (u *upRun) undo(ctx context.Context, err error) error {
	for _, e := range u.engines {
		if e != nil {
			e.Close()
		}
	}
	if !u.created || u.o.Retain {
		return err
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	if _, derr := Down(cctx, u.c.Name, Options{Docker: u.o.Docker}); derr != nil {
		return errors.Join(err, fmt.Errorf("cleanup also failed: %w", derr))
	}
	u.log.Infof(" • Removed what this run created (use --retain to keep it)")
	return err
}

// images makes sure the node image exists here and keeps it saved, and
// imports the hosts' root filesystem.
func (u *upRun) images(ctx context.Context) error {
	st := u.log.Start("Preparing the node image %s and the lab hosts' root filesystem", u.c.Image)
	defer st.End(false)
	if _, err := nodeimage.Ensure(ctx, u.o.Docker, u.c.Image, images.Options{}, u.log); err != nil {
		return err
	}
	var err error
	if u.node, err = u.o.Docker.SaveImage(ctx, u.c.Image); err != nil {
		return err
	}
	fs, err := rootfs("/etc")
	if err != nil {
		return err
	}
	changes := []string{"LABEL " + docker.LabelRole + "=" + RoleHost}
	return st.Done(u.o.Docker.ImportImage(ctx, RootfsImage, fs, changes))
}

// network creates the lab's bridge network on a free /24.
func (u *upRun) network(ctx context.Context) error {
	st := u.log.Start("Creating network %s", NetworkName(u.c.Name))
	defer st.End(false)
	var err error
	for try := 0; try < 5; try++ {
		var used []netip.Prefix
		if used, err = u.o.Docker.UsedSubnets(ctx); err != nil {
			return err
		}
		var subnet netip.Prefix
		if subnet, err = docker.FreeSubnet(used); err != nil {
			return err
		}
		u.created = true
		_, err = u.o.Docker.CreateNetwork(ctx, NetworkName(u.c.Name), subnet, labels(u.c.Name, ""))
		if err == nil {
			u.res.Subnet = subnet
			st.End(true)
			return nil
		}
		if !errors.Is(err, docker.ErrSubnetOverlap) {
			return err
		}
	}
	return err
}
