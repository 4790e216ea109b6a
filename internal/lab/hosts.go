package lab

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// engineWait is how long a starting host's engine may take to answer.
const engineWait = 90 * time.Second

// hosts creates and starts every host, each with a volume for its
// engine's /var/lib/docker (its disk, kept while the host is stopped).
func (u *upRun) hosts(ctx context.Context) error {
	st := u.log.Start("Starting %d lab hosts", u.c.Hosts)
	defer st.End(false)
	u.res.Hosts = make([]Host, u.c.Hosts)
	u.ids = make([]string, u.c.Hosts)
	// Not errgroup.WithContext: a cancelled create may still be made by
	// the engine after the call returns, out of the undo's sight.
	var g errgroup.Group
	for i := range u.c.Hosts {
		name := HostName(u.c.Name, i+1)
		u.res.Hosts[i] = Host{Name: name, IP: hostIP(u.res.Subnet, i+1), DockerHost: DockerHost(u.c.Name, name), Manager: i < u.c.Managers}
		g.Go(func() error {
			id, err := u.startHost(ctx, i+1, u.res.Hosts[i])
			u.ids[i] = id
			return err
		})
	}
	return st.Done(g.Wait())
}

func (u *upRun) startHost(ctx context.Context, i int, h Host) (string, error) {
	dir := SocketDir(u.c.Name, h.Name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("failed to create the socket directory of %s: %w", h.Name, err)
	}
	if err := os.Chmod(RunDir, 0o700); err != nil {
		return "", fmt.Errorf("failed to restrict %s to root: %w", RunDir, err)
	}
	l := hostLabels(u.c.Name, h.Name, i)
	vol := h.Name + "-docker"
	if _, err := u.o.Docker.CreateVolume(ctx, vol, l); err != nil {
		return "", err
	}
	id, err := u.o.Docker.CreateLabHost(ctx, docker.LabHost{
		Name: h.Name, Image: RootfsImage, Cmd: engineCmd(u.c.Name), Env: hostEnv, Labels: l,
		Network: NetworkName(u.c.Name), IP: h.IP, Volume: vol, SocketDir: dir, Usr: "/usr",
	})
	if err != nil {
		return "", nestingError(err)
	}
	if err := u.o.Docker.Start(ctx, id); err != nil {
		return id, nestingError(err)
	}
	return id, nil
}

// nestingError names the cause when the engine refuses a lab host.
func nestingError(err error) error {
	msg := err.Error()
	for _, s := range []string{"capabilit", "seccomp", "apparmor", "operation not permitted"} {
		if strings.Contains(strings.ToLower(msg), s) {
			return fmt.Errorf("%w: %v", ErrNoNesting, err)
		}
	}
	return err
}

// engines waits until every host's engine answers on its socket.
func (u *upRun) waitEngines(ctx context.Context) error {
	st := u.log.Start("Waiting for %d engines", u.c.Hosts)
	defer st.End(false)
	u.engines = make([]*docker.Client, u.c.Hosts)
	g, gctx := errgroup.WithContext(ctx)
	for i, h := range u.res.Hosts {
		g.Go(func() error {
			c, err := waitEngine(gctx, u.o.Docker, u.ids[i], h)
			u.engines[i] = c
			return err
		})
	}
	return st.Done(g.Wait())
}

// waitEngine connects to h's engine once it answers; a host that exits
// first means this machine cannot nest engines, and its last log line
// says why.
func waitEngine(ctx context.Context, outer *docker.Client, id string, h Host) (*docker.Client, error) {
	c, err := docker.NewAt(h.DockerHost)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(engineWait)
	for {
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		err = c.Ping(pctx)
		cancel()
		if err == nil {
			return c, nil
		}
		running, ierr := outer.IsRunning(ctx, id)
		if ierr == nil && !running {
			c.Close()
			return nil, fmt.Errorf("%w: lab host %s stopped: %s", ErrNoNesting, h.Name, lastLine(outer.LastLog(ctx, id, 5)))
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			c.Close()
			return nil, fmt.Errorf("the engine of lab host %s did not answer within %s: %w", h.Name, engineWait, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// loadImage loads the node image into every engine.
func (u *upRun) loadImage(ctx context.Context) error {
	st := u.log.Start("Loading %s into %d engines (%d MB)", u.c.Image, u.c.Hosts, len(u.node)>>20)
	defer st.End(false)
	g, gctx := errgroup.WithContext(ctx)
	for i, e := range u.engines {
		g.Go(func() error {
			if err := e.LoadImage(gctx, u.node); err != nil {
				return fmt.Errorf("lab host %s: %w", u.res.Hosts[i].Name, err)
			}
			return nil
		})
	}
	return st.Done(g.Wait())
}

// swarm makes the first host a swarm manager, joins the other managers
// one at a time and the workers together, and waits until every node is
// ready.
func (u *upRun) swarm(ctx context.Context) error {
	st := u.log.Start("Forming a swarm (%d managers, %d workers)", u.c.Managers, u.c.Hosts-u.c.Managers)
	defer st.End(false)
	first := u.res.Hosts[0].IP.String()
	if err := u.engines[0].SwarmInit(ctx, first); err != nil {
		return err
	}
	tokens, err := u.engines[0].SwarmJoinTokens(ctx)
	if err != nil {
		return err
	}
	for i := 1; i < u.c.Managers; i++ {
		if err := u.engines[i].SwarmJoin(ctx, u.res.Hosts[i].IP.String(), first, tokens.Manager); err != nil {
			return err
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	for i := u.c.Managers; i < u.c.Hosts; i++ {
		g.Go(func() error { return u.engines[i].SwarmJoin(gctx, u.res.Hosts[i].IP.String(), first, tokens.Worker) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := waitReady(ctx, u.engines[0], u.c.Hosts); err != nil {
		return err
	}
	for _, e := range u.engines {
		e.Close()
	}
	u.engines = nil
	st.End(true)
	return nil
}

// waitReady waits until n swarm nodes are ready.
func waitReady(ctx context.Context, manager *docker.Client, n int) error {
	deadline := time.Now().Add(time.Minute)
	for {
		members, err := manager.SwarmMembers(ctx)
		ready := 0
		for _, m := range members {
			if m.State == "ready" {
				ready++
			}
		}
		if err == nil && ready >= n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d swarm nodes are ready after a minute (%v)", ready, n, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
