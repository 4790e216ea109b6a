package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/redisx"
)

// NodeStatus is one node as `status` shows it.
type NodeStatus struct {
	Name      string         `json:"name"`
	Port      int            `json:"port"`
	Container string         `json:"container"` // running, exited, ...
	ID        string         `json:"id,omitempty"`
	Role      string         `json:"role"` // what the node says now: master or replica
	Master    string         `json:"master,omitempty"`
	Slots     string         `json:"slots,omitempty"`
	SlotCount int            `json:"slotCount"`
	Keys      int64          `json:"keys"`
	Link      string         `json:"link,omitempty"`
	Memory    string         `json:"memory,omitempty"`
	Error     string         `json:"error,omitempty"`
	peers     map[string]int // node ID -> port, from the node's CLUSTER NODES
}

// Status is a cluster as `status` shows it.
type Status struct {
	Name      string       `json:"name"`
	Network   string       `json:"network"`
	Endpoint  string       `json:"endpoint"`
	TLS       bool         `json:"tls,omitempty"` // the nodes speak TLS only
	Nodes     []NodeStatus `json:"nodes"`
	OpenSlots []string     `json:"openSlots,omitempty"`
	Healthy   bool         `json:"healthy"`
	Problems  []string     `json:"problems,omitempty"`
}

// GetStatus reads a cluster's state from its containers and nodes.
func GetStatus(ctx context.Context, name string, o Options) (*Status, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	all, err := provision.Find(ctx, o.Docker, name)
	if err != nil {
		return nil, err
	}
	s, _ := provision.SpecOf(all)
	cts := docker.Nodes(all) // helpers (compose's bootstrap) are not nodes
	if len(cts) == 0 {
		return nil, fmt.Errorf("cluster %q has no node containers (only %s)", name, all[0].Name)
	}
	st := &Status{Name: name, Network: s.Network, Endpoint: s.Endpoint, TLS: s.TLS}
	pw, err := provision.ReadPassword(ctx, o.Docker, cts)
	if err != nil {
		return nil, err
	}
	s.Password = pw
	certs, err := provision.ReadTLS(ctx, o.Docker, s, cts)
	if err != nil {
		return nil, err
	}
	ns, names := make([]*redisx.Node, len(cts)), make([]string, len(cts))
	for i, c := range cts {
		ns[i], names[i] = redisx.Dial(AdminAddr(s, c.Port), provision.Auth(s, certs)), c.Name
	}
	defer closeAll(ns)
	st.Nodes = make([]NodeStatus, len(cts))
	_ = each(ctx, ns, func(ctx context.Context, i int, n *redisx.Node) error {
		st.Nodes[i] = nodeStatus(ctx, n, cts[i])
		return nil
	})
	fillMasters(st)
	h := CheckHealth(ctx, ns, names)
	st.Problems = append(downProblems(cts), h.Problems...)
	st.Healthy = h.OK && len(st.Problems) == 0
	return st, nil
}

func nodeStatus(ctx context.Context, n *redisx.Node, c docker.Container) NodeStatus {
	ns := NodeStatus{Name: c.Name, Port: c.Port, Container: c.State, Role: "-"} // "-": it says nothing now
	if !c.Running() {
		ns.Error = "container not running"
		return ns
	}
	nodes, err := n.Nodes(ctx)
	if err != nil {
		ns.Error = err.Error()
		return ns
	}
	ns.peers = map[string]int{}
	for _, cn := range nodes {
		ns.peers[cn.ID] = cn.Port
	}
	me, _ := redisx.Myself(nodes)
	ns.ID, ns.Slots, ns.SlotCount, ns.Master = me.ID, me.SlotString(), me.SlotCount(), me.MasterID
	ns.Role = "master"
	if !me.IsMaster() {
		ns.Role = "replica"
	}
	ns.Keys, _ = n.DBSize(ctx)
	if info, err := n.Info(ctx, "memory", "replication"); err == nil {
		ns.Memory = info["used_memory_human"]
		if ns.Role == "replica" {
			ns.Link = info["master_link_status"]
		} else {
			ns.Link = "replicas:" + info["connected_slaves"]
		}
	}
	for _, cn := range nodes {
		if cn.Has("myself") && len(cn.Open) > 0 {
			ns.Error = "open slots " + strings.Join(cn.Open, " ")
		}
	}
	return ns
}

// fillMasters turns master IDs into node names for display. IDs are
// matched as nodes report them: a node's own ID, else the port its peers
// list for that ID (a dead master has no ID of its own in the table). A
// node without an ID is nobody's master; an unknown ID stays as it is.
func fillMasters(st *Status) {
	byPort := map[int]string{}
	for _, n := range st.Nodes {
		byPort[n.Port] = n.Name
	}
	byID := map[string]string{}
	for _, n := range st.Nodes {
		for id, port := range n.peers {
			if name, ok := byPort[port]; ok && id != "" {
				byID[id] = name
			}
		}
	}
	for _, n := range st.Nodes {
		if n.ID != "" {
			byID[n.ID] = n.Name
		}
	}
	for i, n := range st.Nodes {
		if name, ok := byID[n.Master]; ok && n.Master != "" {
			st.Nodes[i].Master = name
		}
		if strings.HasPrefix(n.Error, "open slots") {
			st.OpenSlots = append(st.OpenSlots, n.Name+": "+strings.TrimPrefix(n.Error, "open slots "))
		}
	}
}

// downProblems names the node containers that are not running.
func downProblems(cts []docker.Container) []string {
	var out []string
	for _, c := range cts {
		if !c.Running() {
			out = append(out, fmt.Sprintf("%s is down (container %s)", c.Name, c.State))
		}
	}
	return out
}
