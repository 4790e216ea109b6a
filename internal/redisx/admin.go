package redisx

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Node is an admin connection to one redis-server.
type Node struct {
	Addr string
	c    *redis.Client
}

// Dial returns an admin connection (lazy: nothing is sent yet).
func Dial(addr, password string) *Node {
	return &Node{Addr: addr, c: redis.NewClient(&redis.Options{
		Addr: addr, Password: password,
		DialTimeout: 2 * time.Second, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second,
		PoolSize: 2, MaxRetries: -1, Protocol: 2, DisableIdentity: true,
	})}
}

// Close closes the connection.
func (n *Node) Close() error { return n.c.Close() }

// Client exposes the underlying client for callers that need more.
func (n *Node) Client() *redis.Client { return n.c }

// Ping sends PING once.
func (n *Node) Ping(ctx context.Context) error { return n.c.Ping(ctx).Err() }

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

func isAuthError(err error) bool {
	var re redis.Error
	if errors.As(err, &re) {
		msg := re.Error()
		return len(msg) >= 6 && (msg[:6] == "WRONGP" || msg[:6] == "NOAUTH")
	}
	return false
}

// Nodes returns the parsed CLUSTER NODES.
func (n *Node) Nodes(ctx context.Context) ([]ClusterNode, error) {
	s, err := n.c.ClusterNodes(ctx).Result()
	if err != nil {
		return nil, fmt.Errorf("CLUSTER NODES on %s: %w", n.Addr, err)
	}
	return ParseNodes(s)
}

// ClusterInfo returns the parsed CLUSTER INFO.
func (n *Node) ClusterInfo(ctx context.Context) (map[string]string, error) {
	s, err := n.c.ClusterInfo(ctx).Result()
	if err != nil {
		return nil, fmt.Errorf("CLUSTER INFO on %s: %w", n.Addr, err)
	}
	return ParseInfo(s), nil
}

// Info returns the parsed INFO for the given sections.
func (n *Node) Info(ctx context.Context, sections ...string) (map[string]string, error) {
	s, err := n.c.Info(ctx, sections...).Result()
	if err != nil {
		return nil, fmt.Errorf("INFO on %s: %w", n.Addr, err)
	}
	return ParseInfo(s), nil
}

// DBSize returns the number of keys.
func (n *Node) DBSize(ctx context.Context) (int64, error) { return n.c.DBSize(ctx).Result() }

// SetConfigEpoch gives a fresh node its config epoch.
func (n *Node) SetConfigEpoch(ctx context.Context, epoch int) error {
	if err := n.c.Do(ctx, "CLUSTER", "SET-CONFIG-EPOCH", epoch).Err(); err != nil {
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
	if err := n.c.Do(ctx, args...).Err(); err != nil {
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
	cmds, err := n.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, peer := range peers {
			p.Do(ctx, "CLUSTER", "MEET", peer.IP, strconv.Itoa(peer.Port), strconv.Itoa(peer.BusPort))
		}
		return nil
	})
	if err != nil {
		for _, c := range cmds {
			if c.Err() != nil {
				return fmt.Errorf("CLUSTER MEET from %s: %w", n.Addr, c.Err())
			}
		}
		return fmt.Errorf("CLUSTER MEET from %s: %w", n.Addr, err)
	}
	return nil
}

// Replicate makes this node a replica of masterID.
func (n *Node) Replicate(ctx context.Context, masterID string) error {
	if err := n.c.Do(ctx, "CLUSTER", "REPLICATE", masterID).Err(); err != nil {
		return fmt.Errorf("CLUSTER REPLICATE %s on %s: %w", masterID, n.Addr, err)
	}
	return nil
}

// MyID returns the node's ID.
func (n *Node) MyID(ctx context.Context) (string, error) {
	id, err := n.c.Do(ctx, "CLUSTER", "MYID").Text()
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
	if err := n.c.Do(ctx, args...).Err(); err != nil {
		return fmt.Errorf("CLUSTER FAILOVER %s on %s: %w", option, n.Addr, err)
	}
	return nil
}
