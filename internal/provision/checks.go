package provision

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeimage"
	"github.com/redis-dock/redis-dock/internal/portcheck"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// The steps below are shared by every topology `up` builds (cluster and
// sentinel): they check the host, find the image and password, and make
// the network, before and around the topology's own node start.

// CheckNames refuses container names (and the name of the cluster's own
// network, when its mode has one) that something other than this cluster
// owns.
func CheckNames(ctx context.Context, d *docker.Client, s spec.Spec, names []string) error {
	owners, err := d.ContainerOwners(ctx, names)
	if err != nil {
		return err
	}
	for _, name := range names {
		if owner, found := owners[name]; found && owner != s.Name {
			return fmt.Errorf("--name %s: a container named %q already exists and does not belong to this cluster; remove it or choose another --name or --port", s.Name, name)
		}
	}
	net := s.Net().Network()
	if net == "" {
		return nil
	}
	owner, found, err := d.NetworkOwner(ctx, net)
	if err != nil {
		return err
	}
	if found && owner != s.Name {
		return fmt.Errorf("--name %s: a network named %q already exists and does not belong to this cluster", s.Name, net)
	}
	return nil
}

// Prepare is what every topology's up does before it makes anything:
// check the host for the planned nodes (their bus ports too when bus),
// find or build the image, settle the password in s, and take the lock.
func (c *Creation) Prepare(ctx context.Context, s *spec.Spec, nodes []topology.Node, bus bool) error {
	if err := c.checkHost(ctx, *s, nodes, bus); err != nil {
		return err
	}
	if err := EnsureImage(ctx, c.o, *s); err != nil {
		return err
	}
	if err := ResolvePassword(s, c.o); err != nil {
		return err
	}
	return c.Claim(ctx, s.Image)
}

// checkHost runs CheckNames and CheckPorts for the planned nodes under
// one status line. A failure while another run creates the cluster says
// so (Contended).
func (c *Creation) checkHost(ctx context.Context, s spec.Spec, nodes []topology.Node, bus bool) error {
	st := c.o.Log().Start("Checking names and host ports")
	defer st.End(false)
	names := make([]string, len(nodes))
	for i, n := range nodes {
		names[i] = n.Name
	}
	if err := CheckNames(ctx, c.o.Docker, s, names); err != nil {
		return c.Contended(ctx, err)
	}
	if err := CheckPorts(s, nodes, bus); err != nil {
		return c.Contended(ctx, err)
	}
	st.End(true)
	return nil
}

// CheckPorts refuses host ports that something else listens on, naming
// the port and, when the OS tells, the process: the nodes' client ports,
// and their bus ports when bus and the network mode takes them on the
// host.
func CheckPorts(s spec.Spec, nodes []topology.Node, bus bool) error {
	l := s.Net().Listen()
	for _, n := range nodes {
		check := []int{n.Port}
		if l.Bus && bus {
			check = append(check, n.BusPort)
		}
		for _, p := range check {
			if err := portcheck.Free(l.Addr, p); err != nil {
				return fmt.Errorf("%s: %w (%w)", l.PortFlag(), err, ErrPortInUse)
			}
		}
	}
	return nil
}

// ErrPortInUse marks errors about host ports that something else holds.
var ErrPortInUse = errors.New("choose other ports with --port")

// EnsureImage builds the node image when it is missing (or stale).
func EnsureImage(ctx context.Context, o Options, s spec.Spec) error {
	_, err := nodeimage.Ensure(ctx, o.Docker, s.Image, images.Options{RedisBinary: s.RedisBinary}, o.Log())
	return err
}

// ResolvePassword fills in s's password, generating one when none is given.
func ResolvePassword(s *spec.Spec, o Options) error {
	generated, err := s.ResolvePassword()
	if err == nil {
		err = s.ResolveUserPasswords()
	}
	if generated {
		o.Log().V(1, " • Generated a random password (print it with: redis-dock password --name %s)", s.Name)
	}
	return err
}

// CreateNetwork makes the cluster's own network, when its mode has one,
// on a free subnet (trying another when a parallel run took it first), so
// every node can get a static address that survives restarts, records it
// in made and returns the subnet: none when the mode has no network.
func CreateNetwork(ctx context.Context, o Options, s spec.Spec, made *docker.Made) (netip.Prefix, error) {
	net := s.Net().Network()
	if net == "" {
		return netip.Prefix{}, nil
	}
	st := o.Log().Start("Creating network %s", net)
	defer st.End(false)
	labels := map[string]string{docker.LabelCluster: s.Name}
	var err error
	for try := 0; try < 8; try++ {
		var subnet netip.Prefix
		if subnet, err = pickSubnet(ctx, o.Docker, s); err != nil {
			return subnet, err
		}
		var id string
		id, err = o.Docker.CreateNetwork(ctx, net, subnet, labels)
		if id != "" {
			made.Network(id, net)
		}
		if err == nil {
			st.End(true)
			return subnet, nil
		}
		if !errors.Is(err, docker.ErrSubnetOverlap) || s.Subnet != "" {
			return netip.Prefix{}, err
		}
	}
	return netip.Prefix{}, err
}

func pickSubnet(ctx context.Context, d *docker.Client, s spec.Spec) (netip.Prefix, error) {
	if s.Subnet != "" {
		return netip.MustParsePrefix(s.Subnet).Masked(), nil
	}
	used, err := d.UsedSubnets(ctx)
	if err != nil {
		return netip.Prefix{}, err
	}
	return docker.FreeSubnet(used)
}

// PortTaken turns the engine's "port already in use" at container start
// into an error naming the port, marked ErrPortInUse.
func PortTaken(err error, port int, host string) error {
	if err != nil && (strings.Contains(err.Error(), "already allocated") || strings.Contains(err.Error(), "address already in use")) {
		return fmt.Errorf("--port: host port %d on %s was taken while starting: %w (%w)", port, host, err, ErrPortInUse)
	}
	return err
}
