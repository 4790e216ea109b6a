package cluster

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/topology"
	"golang.org/x/sync/errgroup"
)

// Fault is what one fault-kit action did.
type Fault struct {
	Action string      `json:"action"` // killed, stopped, started, ...
	Nodes  []FaultNode `json:"nodes"`
}

// FaultNode is one node a fault touched, as it was just before.
type FaultNode struct {
	Container string `json:"container"`
	Port      int    `json:"port"`
	ID        string `json:"id,omitempty"`   // node ID ("" when it did not answer)
	Role      string `json:"role,omitempty"` // master or replica ("" when it did not answer)
}

func (f Fault) String() string {
	parts := make([]string, len(f.Nodes))
	for i, n := range f.Nodes {
		parts[i] = n.Container
		if n.Role != "" {
			parts[i] += " (" + n.Role + ")"
		}
	}
	return f.Action + " " + strings.Join(parts, ", ")
}

// faultActions is the kit: each verb, what it did in words, and how it
// acts on one node container.
var faultActions = map[string]struct {
	did string
	do  func(ctx context.Context, h *handle, c docker.Container, o Options) error
}{
	"kill": {"killed", func(ctx context.Context, _ *handle, c docker.Container, o Options) error {
		return o.Docker.Kill(ctx, c.ID)
	}},
	"stop": {"stopped", func(ctx context.Context, _ *handle, c docker.Container, o Options) error {
		return o.Docker.Stop(ctx, c.ID, 10)
	}},
	"start": {"started", func(ctx context.Context, _ *handle, c docker.Container, o Options) error {
		return o.Docker.Start(ctx, c.ID)
	}},
	"pause": {"paused", func(ctx context.Context, _ *handle, c docker.Container, o Options) error {
		return o.Docker.Pause(ctx, c.ID)
	}},
	"unpause": {"unpaused", func(ctx context.Context, _ *handle, c docker.Container, o Options) error {
		return o.Docker.Unpause(ctx, c.ID)
	}},
	"restart": {"restarted", func(ctx context.Context, _ *handle, c docker.Container, o Options) error {
		return o.Docker.Restart(ctx, c.ID, 10)
	}},
	"partition": {"partitioned", partition},
	"reconnect": {"reconnected", reconnect},
}

// FaultVerbs lists the kit's verbs, for help and errors.
const FaultVerbs = "kill, stop, start, pause, unpause, partition, reconnect, restart"

// Inject applies a fault-kit verb to nodes of cluster name, each given
// by port or container name (none: every node), all at once, and says
// what it did.
func Inject(ctx context.Context, name, verb string, nodes []string, o Options) (Fault, error) {
	act, ok := faultActions[verb]
	if !ok {
		return Fault{}, fmt.Errorf("unknown fault %q: want one of %s", verb, FaultVerbs)
	}
	h, err := open(ctx, name, o)
	if err != nil {
		return Fault{}, err
	}
	cts, err := h.find(nodes)
	if err != nil {
		return Fault{}, err
	}
	f := Fault{Action: act.did, Nodes: h.describe(ctx, cts)}
	g, gctx := errgroup.WithContext(ctx)
	for _, c := range cts {
		g.Go(func() error { return act.do(gctx, h, c, o) })
	}
	return f, g.Wait()
}

// find resolves node references (port or container name); none means
// every node.
func (h *handle) find(refs []string) ([]docker.Container, error) {
	if len(refs) == 0 {
		return h.cts, nil
	}
	var out []docker.Container
	for _, ref := range refs {
		c, ok := h.byRef(ref)
		if !ok {
			return nil, fmt.Errorf("no node %q in cluster %q: give a port (%d-%d) or a container name (%s)",
				ref, h.spec.Name, h.cts[0].Port, h.cts[len(h.cts)-1].Port, h.cts[0].Name)
		}
		out = append(out, c)
	}
	return out, nil
}

func (h *handle) byRef(ref string) (docker.Container, bool) {
	if port, err := strconv.Atoi(ref); err == nil {
		return h.byPort(port)
	}
	for _, c := range h.cts {
		if c.Name == ref {
			return c, true
		}
	}
	return docker.Container{}, false
}

// describe reads each node's ID and role just before a fault; a node
// that does not answer within a second is described by its container.
func (h *handle) describe(ctx context.Context, cts []docker.Container) []FaultNode {
	out := make([]FaultNode, len(cts))
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	var g errgroup.Group
	for i, c := range cts {
		out[i] = FaultNode{Container: c.Name, Port: c.Port}
		if !c.Running() {
			continue
		}
		g.Go(func() error {
			n := redisx.Dial(AdminAddr(h.spec, c.Port), h.auth())
			defer n.Close()
			if view, err := n.Nodes(ctx); err == nil {
				me, _ := redisx.Myself(view)
				out[i].ID, out[i].Role = me.ID, "replica"
				if me.IsMaster() {
					out[i].Role = "master"
				}
			}
			return nil
		})
	}
	_ = g.Wait()
	return out
}

// clusterNetwork is the network of the cluster's own that a node
// container of h belongs on: the mode's, or a compose project's.
func (h *handle) clusterNetwork(c docker.Container) (string, error) {
	own := h.spec.Net().Network()
	if own == "" || c.HostNetwork() {
		return "", fmt.Errorf("cluster %q uses host networking: partition and reconnect need a bridge network", h.spec.Name)
	}
	if c.DefaultNetwork() {
		return own, nil
	}
	return c.Network, nil
}

// partition cuts a node off its cluster's network: it keeps running but
// reaches no one, and no one (not even the host) reaches it.
func partition(ctx context.Context, h *handle, c docker.Container, o Options) error {
	net, err := h.clusterNetwork(c)
	if err != nil {
		return err
	}
	return o.Docker.Disconnect(ctx, c.ID, net)
}

// reconnect attaches a partitioned node again with its planned static
// address; a node that is attached already is left alone.
func reconnect(ctx context.Context, h *handle, c docker.Container, o Options) error {
	net, err := h.clusterNetwork(c)
	if err != nil {
		return err
	}
	nets, err := o.Docker.Networks(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, n := range nets {
		if n == net {
			return nil
		}
	}
	subnet, ok, err := o.Docker.NetworkSubnet(ctx, net)
	if err != nil || !ok {
		return fmt.Errorf("failed to reconnect %s: network %s not found (%v)", c.Name, net, err)
	}
	aliases := []string{c.Name}
	if svc := c.Labels["com.docker.compose.service"]; svc != "" {
		aliases = append(aliases, svc)
	}
	return o.Docker.Connect(ctx, c.ID, net, topology.HostAddr(subnet, topology.FirstHost+c.Index), aliases)
}
