package redisx

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Replication is a data node's INFO replication section, parsed.
type Replication struct {
	Role       string // master or slave, as Redis says it
	MasterHost string // replicas: the node they follow
	MasterPort int
	LinkUp     bool  // replicas: master_link_status:up
	Offset     int64 // master_repl_offset (replicas too: it is the offset they processed)
	Replicas   []ReplicaInfo
}

// ReplicaInfo is one slaveN line: a replica directly attached to the node.
type ReplicaInfo struct {
	IP     string
	Port   int
	State  string // online, wait_bgsave, send_bulk
	Offset int64
}

// Addr is host:port of the replica as its upstream sees it.
func (r ReplicaInfo) Addr() string { return net.JoinHostPort(r.IP, strconv.Itoa(r.Port)) }

// IsMaster reports whether the node says it is a master.
func (r Replication) IsMaster() bool { return r.Role == "master" }

// MasterAddr is host:port of the node a replica follows.
func (r Replication) MasterAddr() string {
	return net.JoinHostPort(r.MasterHost, strconv.Itoa(r.MasterPort))
}

// ParseReplication reads the fields of INFO replication that matter here.
func ParseReplication(info map[string]string) Replication {
	r := Replication{Role: info["role"], MasterHost: info["master_host"], LinkUp: info["master_link_status"] == "up"}
	r.MasterPort, _ = strconv.Atoi(info["master_port"])
	r.Offset, _ = strconv.ParseInt(info["master_repl_offset"], 10, 64)
	for i := 0; ; i++ {
		line, ok := info["slave"+strconv.Itoa(i)]
		if !ok {
			return r
		}
		fields := map[string]string{}
		for _, kv := range strings.Split(line, ",") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				fields[k] = v
			}
		}
		ri := ReplicaInfo{IP: fields["ip"], State: fields["state"]}
		ri.Port, _ = strconv.Atoi(fields["port"])
		ri.Offset, _ = strconv.ParseInt(fields["offset"], 10, 64)
		r.Replicas = append(r.Replicas, ri)
	}
}

// Replication returns the node's parsed INFO replication.
func (n *Node) Replication(ctx context.Context) (Replication, error) {
	info, err := n.Info(ctx, "replication")
	if err != nil {
		return Replication{}, err
	}
	return ParseReplication(info), nil
}

// SentinelMaster returns SENTINEL MASTER name as field/value pairs
// (flags, num-slaves, num-other-sentinels, quorum, ...).
func (n *Node) SentinelMaster(ctx context.Context, name string) (map[string]string, error) {
	v, err := n.Command(ctx, "SENTINEL", "MASTER", name)
	if err != nil {
		return nil, fmt.Errorf("SENTINEL MASTER %s on %s: %w", name, n.Addr, err)
	}
	return pairs(v)
}

// SentinelUsableReplicas counts the replicas SENTINEL REPLICAS hands to
// clients as usable: those not flagged s_down, o_down or disconnected
// (the ones go-redis and redis-py drop).
func (n *Node) SentinelUsableReplicas(ctx context.Context, name string) (int, error) {
	v, err := n.Command(ctx, "SENTINEL", "REPLICAS", name)
	if err != nil {
		return 0, fmt.Errorf("SENTINEL REPLICAS %s on %s: %w", name, n.Addr, err)
	}
	list, ok := v.([]any)
	if !ok {
		return 0, fmt.Errorf("SENTINEL REPLICAS %s on %s: unexpected reply %T", name, n.Addr, v)
	}
	usable := 0
	for _, r := range list {
		fields, err := pairs(r)
		if err != nil {
			return 0, fmt.Errorf("SENTINEL REPLICAS %s on %s: %w", name, n.Addr, err)
		}
		if usableReplica(fields["flags"]) {
			usable++
		}
	}
	return usable, nil
}

func usableReplica(flags string) bool {
	for _, f := range strings.Split(flags, ",") {
		if f == "s_down" || f == "o_down" || f == "disconnected" {
			return false
		}
	}
	return true
}

// SentinelMasterAddr returns host:port of the master as this sentinel
// hands it to clients.
func (n *Node) SentinelMasterAddr(ctx context.Context, name string) (string, error) {
	addr, err := stringList(n.Command(ctx, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", name))
	if err != nil || len(addr) != 2 {
		return "", fmt.Errorf("SENTINEL GET-MASTER-ADDR-BY-NAME %s on %s: %v %w", name, n.Addr, addr, err)
	}
	return net.JoinHostPort(addr[0], addr[1]), nil
}

// SentinelCKQuorum runs SENTINEL CKQUORUM: nil when enough sentinels are
// reachable to reach the quorum and to authorize a failover.
func (n *Node) SentinelCKQuorum(ctx context.Context, name string) error {
	if _, err := n.Command(ctx, "SENTINEL", "CKQUORUM", name); err != nil {
		return fmt.Errorf("SENTINEL CKQUORUM %s on %s: %w", name, n.Addr, err)
	}
	return nil
}

// pairs turns a flat [field, value, ...] reply (or a RESP3 map) into a map.
func pairs(v any) (map[string]string, error) {
	out := map[string]string{}
	switch r := v.(type) {
	case []any:
		if len(r)%2 != 0 {
			return nil, fmt.Errorf("odd-length reply of %d elements", len(r))
		}
		for i := 0; i < len(r); i += 2 {
			out[fmt.Sprint(r[i])] = fmt.Sprint(r[i+1])
		}
	case map[any]any:
		for k, val := range r {
			out[fmt.Sprint(k)] = fmt.Sprint(val)
		}
	default:
		return nil, fmt.Errorf("unexpected reply %T", v)
	}
	return out, nil
}
