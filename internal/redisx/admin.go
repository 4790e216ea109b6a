package redisx

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Ping sends PING once.
func (n *Node) Ping(ctx context.Context) error {
	_, err := n.Command(ctx, "PING")
	return err
}

// WaitPing polls PING every interval until it answers or ctx ends. An
// authentication error ends the wait at once: it will not go away.
func (n *Node) WaitPing(ctx context.Context, interval time.Duration) error {
	var last error
	for {
		last = n.Ping(ctx)
		if last == nil {
			return nil
		}
		if isAuthError(last) {
			return fmt.Errorf("node %s refused the password: %w", n.Addr, last)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("node %s did not answer PING: %w", n.Addr, last)
		case <-time.After(interval):
		}
	}
}

// Nodes returns the parsed CLUSTER NODES.
func (n *Node) Nodes(ctx context.Context) ([]ClusterNode, error) {
	s, err := text(n.Command(ctx, "CLUSTER", "NODES"))
	if err != nil {
		return nil, fmt.Errorf("CLUSTER NODES on %s: %w", n.Addr, err)
	}
	return ParseNodes(s)
}

// ClusterInfo returns the parsed CLUSTER INFO.
func (n *Node) ClusterInfo(ctx context.Context) (map[string]string, error) {
	s, err := text(n.Command(ctx, "CLUSTER", "INFO"))
	if err != nil {
		return nil, fmt.Errorf("CLUSTER INFO on %s: %w", n.Addr, err)
	}
	return ParseInfo(s), nil
}

// Info returns the parsed INFO for the given sections.
func (n *Node) Info(ctx context.Context, sections ...string) (map[string]string, error) {
	args := []any{"INFO"}
	for _, s := range sections {
		args = append(args, s)
	}
	s, err := text(n.Command(ctx, args...))
	if err != nil {
		return nil, fmt.Errorf("INFO on %s: %w", n.Addr, err)
	}
	return ParseInfo(s), nil
}

// DBSize returns the number of keys.
func (n *Node) DBSize(ctx context.Context) (int64, error) { return integer(n.Command(ctx, "DBSIZE")) }

// SetConfigEpoch gives a fresh node its config epoch.
func (n *Node) SetConfigEpoch(ctx context.Context, epoch int) error {
	if _, err := n.Command(ctx, "CLUSTER", "SET-CONFIG-EPOCH", epoch); err != nil {
		return fmt.Errorf("CLUSTER SET-CONFIG-EPOCH %d on %s: %w", epoch, n.Addr, err)
	}
	return nil
}

// AddSlotsRange assigns slot ranges to this node.
func (n *Node) AddSlotsRange(ctx context.Context, ranges [][2]int) error {
	args := []any{"CLUSTER", "ADDSLOTSRANGE"}
	for _, r := range ranges {
		args = append(args, r[0], r[1])
	}
	if _, err := n.Command(ctx, args...); err != nil {
		return fmt.Errorf("CLUSTER ADDSLOTSRANGE on %s: %w", n.Addr, err)
	}
	return nil
}

// Peer is a node to MEET: its address on the cluster network.
type Peer struct {
	IP      string
	Port    int
	BusPort int
}

// MeetAll sends CLUSTER MEET for every peer in one pipeline.
func (n *Node) MeetAll(ctx context.Context, peers []Peer) error {
	if len(peers) == 0 {
		return nil
	}
	cmds := make([][]any, len(peers))
	for i, p := range peers {
		cmds[i] = []any{"CLUSTER", "MEET", p.IP, strconv.Itoa(p.Port), strconv.Itoa(p.BusPort)}
	}
	for _, r := range n.Pipeline(ctx, cmds...) {
		if r.Err != nil {
			return fmt.Errorf("CLUSTER MEET from %s: %w", n.Addr, r.Err)
		}
	}
	return nil
}

// Replicate makes this node a replica of masterID.
func (n *Node) Replicate(ctx context.Context, masterID string) error {
	if _, err := n.Command(ctx, "CLUSTER", "REPLICATE", masterID); err != nil {
		return fmt.Errorf("CLUSTER REPLICATE %s on %s: %w", masterID, n.Addr, err)
	}
	return nil
}

// MyID returns the node's ID.
func (n *Node) MyID(ctx context.Context) (string, error) {
	id, err := text(n.Command(ctx, "CLUSTER", "MYID"))
	if err != nil {
		return "", fmt.Errorf("CLUSTER MYID on %s: %w", n.Addr, err)
	}
	return id, nil
}

// Failover runs CLUSTER FAILOVER [FORCE|TAKEOVER] on a replica.
func (n *Node) Failover(ctx context.Context, option string) error {
	args := []any{"CLUSTER", "FAILOVER"}
	if option != "" {
		args = append(args, option)
	}
	if _, err := n.Command(ctx, args...); err != nil {
		return fmt.Errorf("CLUSTER FAILOVER %s on %s: %w", option, n.Addr, err)
	}
	return nil
}
