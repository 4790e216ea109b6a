package sentinel

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/tlsca"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// Status is a sentinel group as `status` shows it.
type Status struct {
	Name       string         `json:"name"`
	Mode       string         `json:"mode"`
	Network    string         `json:"network"`
	MasterName string         `json:"masterName"` // what clients ask the sentinels for
	Quorum     int            `json:"quorum"`
	Master     string         `json:"master,omitempty"` // container of the node that says it is master
	Nodes      []DataStatus   `json:"nodes"`
	Sentinels  []SentinelView `json:"sentinels"`
	Healthy    bool           `json:"healthy"`
	Problems   []string       `json:"problems,omitempty"`
}

// DataStatus is a master or replica as `status` shows it.
type DataStatus struct {
	Name      string `json:"name"`
	Port      int    `json:"port"`
	Container string `json:"container"` // running, exited, ...
	Role      string `json:"role"`      // what the node says now: master or replica
	Follows   string `json:"follows,omitempty"`
	Link      string `json:"link,omitempty"` // replicas: up or down
	Offset    int64  `json:"offset"`
	Lag       int64  `json:"lag"` // bytes behind the master's offset
	Replicas  int    `json:"replicas"`
	Keys      int64  `json:"keys"`
	Memory    string `json:"memory,omitempty"`
	Error     string `json:"error,omitempty"`

	repl redisx.Replication
}

// SentinelView is a sentinel and what it thinks of the master.
type SentinelView struct {
	Name      string `json:"name"`
	Port      int    `json:"port"`
	Container string `json:"container"`
	Master    string `json:"master,omitempty"` // the address it hands to clients
	Flags     string `json:"flags,omitempty"`  // its flags for the master: master, s_down, o_down, ...
	Replicas  int    `json:"replicas"`         // usable replicas it hands to clients
	Sentinels int    `json:"otherSentinels"`   // other sentinels it knows
	QuorumOK  bool   `json:"quorumOK"`
	Quorum    string `json:"quorum,omitempty"` // why CKQUORUM failed
	Error     string `json:"error,omitempty"`
}

// member is one container of a group with an admin connection to it.
type member struct {
	name, state, role string
	port              int
	conn              *redisx.Node
}

// GetStatus reads a sentinel group's state from its containers and nodes.
func GetStatus(ctx context.Context, name string, o provision.Options) (*Status, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	g, err := open(ctx, name, o)
	if err != nil {
		return nil, err
	}
	defer g.close()
	return g.status(ctx), nil
}

// group is a sentinel group found by label.
type group struct {
	spec    spec.Spec
	cts     []docker.Container
	members []member
	tls     *tlsca.Authority // nil without --tls
}

func open(ctx context.Context, name string, o provision.Options) (*group, error) {
	cts, err := o.Docker.List(ctx, name)
	if err != nil {
		return nil, err
	}
	cts = docker.Nodes(cts) // a helper carrying the label is no member
	if len(cts) == 0 {
		return nil, fmt.Errorf("--name %s: no such cluster (see `redis-dock list`)", name)
	}
	s, ok := provision.CurrentSpec(ctx, o.Docker, cts)
	if !ok || s.Mode != spec.ModeSentinel {
		return nil, fmt.Errorf("cluster %q is not a sentinel group (its spec label says mode %q)", name, s.Mode)
	}
	if s.Password, err = provision.ReadPassword(ctx, o.Docker, cts); err != nil {
		return nil, err
	}
	g := &group{spec: s, cts: cts}
	if g.tls, err = provision.ReadTLS(ctx, o.Docker, s, cts); err != nil {
		return nil, err
	}
	for _, c := range cts {
		g.members = append(g.members, member{name: c.Name, state: c.State, role: c.Role, port: c.Port,
			conn: redisx.Dial(s.Net().AdminAddr(c.Port), roleAuth(s, g.tls, c.Role))})
	}
	return g, nil
}

func (g *group) close() {
	for _, m := range g.members {
		m.conn.Close()
	}
}

func (g *group) status(ctx context.Context) *Status {
	st := gather(ctx, g.spec, g.members)
	st.Problems = judge(st, g.spec.SentinelCount())
	st.Healthy = len(st.Problems) == 0
	return st
}

// gather asks every member at once what it is and what it sees.
func gather(ctx context.Context, s spec.Spec, ms []member) *Status {
	st := &Status{Name: s.Name, Mode: s.Mode, Network: s.Network, MasterName: s.Name, Quorum: s.Quorum()}
	data := make([]DataStatus, len(ms))
	views := make([]SentinelView, len(ms))
	var eg errgroup.Group
	for i, m := range ms {
		eg.Go(func() error {
			if m.role == topology.RoleSentinel {
				views[i] = sentinelView(ctx, m, s.Name)
			} else {
				data[i] = dataStatus(ctx, m)
			}
			return nil
		})
	}
	_ = eg.Wait()
	for i, m := range ms {
		if m.role == topology.RoleSentinel {
			st.Sentinels = append(st.Sentinels, views[i])
		} else {
			st.Nodes = append(st.Nodes, data[i])
		}
	}
	relate(st)
	return st
}

func dataStatus(ctx context.Context, m member) DataStatus {
	d := DataStatus{Name: m.name, Port: m.port, Container: m.state}
	if m.state != "running" {
		d.Error = "container not running"
		return d
	}
	info, err := m.conn.Info(ctx, "replication", "memory")
	if err != nil {
		d.Error = err.Error()
		return d
	}
	d.repl = redisx.ParseReplication(info)
	d.Role, d.Offset, d.Memory, d.Replicas = "master", d.repl.Offset, info["used_memory_human"], len(d.repl.Replicas)
	if !d.repl.IsMaster() {
		d.Role, d.Link = "replica", "down"
		if d.repl.LinkUp {
			d.Link = "up"
		}
	}
	d.Keys, _ = m.conn.DBSize(ctx)
	return d
}

func sentinelView(ctx context.Context, m member, masterName string) SentinelView {
	v := SentinelView{Name: m.name, Port: m.port, Container: m.state}
	if m.state != "running" {
		v.Error = "container not running"
		return v
	}
	info, err := m.conn.SentinelMaster(ctx, masterName)
	if err != nil {
		v.Error = err.Error()
		return v
	}
	v.Flags = info["flags"]
	if v.Replicas, err = m.conn.SentinelUsableReplicas(ctx, masterName); err != nil {
		v.Error = err.Error()
		return v
	}
	v.Sentinels, _ = strconv.Atoi(info["num-other-sentinels"])
	if v.Master, err = m.conn.SentinelMasterAddr(ctx, masterName); err != nil {
		v.Error = err.Error()
	}
	if err := m.conn.SentinelCKQuorum(ctx, masterName); err != nil {
		v.Quorum = strings.TrimPrefix(err.Error(), "SENTINEL CKQUORUM "+masterName+" on "+m.conn.Addr+": ")
	} else {
		v.QuorumOK = true
	}
	return v
}

// relate names the master, each replica's upstream and its lag, matching
// addresses by port: every port of a group is its own.
func relate(st *Status) {
	byPort := map[int]string{}
	var masterOffset int64
	for _, d := range st.Nodes {
		byPort[d.Port] = d.Name
		if d.Role == "master" {
			st.Master, masterOffset = d.Name, d.Offset
		}
	}
	for i, d := range st.Nodes {
		if d.Role != "replica" {
			continue
		}
		st.Nodes[i].Follows = d.repl.MasterAddr()
		if name, ok := byPort[d.repl.MasterPort]; ok {
			st.Nodes[i].Follows = name
		}
		if st.Master != "" {
			st.Nodes[i].Lag = max(0, masterOffset-d.Offset)
		}
	}
}
