// Command labprobe is the lab test's witness on a cluster's overlay
// network, independent of redis-dock's own check: it writes keys each
// acknowledged by a replica (SET + WAIT 1 on the key's master), reads
// them back, and reports what every node that resolves says of itself.
//
//	labprobe write|read|nodes -seeds node-7000:7000,... -password-file F -n N -prefix P
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: labprobe write|read|nodes [flags]"))
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	seeds := fs.String("seeds", "", "comma-separated host:port of every node")
	pwFile := fs.String("password-file", "", "file holding the password")
	n := fs.Int("n", 0, "keys")
	prefix := fs.String("prefix", "lab", "key prefix")
	_ = fs.Parse(os.Args[2:])
	pw, err := os.ReadFile(*pwFile)
	if err != nil {
		fail(err)
	}
	p := probe{seeds: strings.Split(*seeds, ","), password: strings.TrimSpace(string(pw))}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out any
	switch os.Args[1] {
	case "write":
		out, err = p.write(ctx, *prefix, *n)
	case "read":
		out, err = p.read(ctx, *prefix, *n)
	case "nodes":
		out = p.nodes(ctx)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if out != nil {
		_ = json.NewEncoder(os.Stdout).Encode(out)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "labprobe:", err)
	os.Exit(1)
}

type probe struct {
	seeds    []string
	password string
}

// resolving keeps the seeds whose names resolve: a stopped host's
// services have no address.
func (p probe) resolving() []string {
	var out []string
	for _, s := range p.seeds {
		host, _, _ := net.SplitHostPort(s)
		if _, err := net.LookupHost(host); err == nil {
			out = append(out, s)
		}
	}
	return out
}

func (p probe) cluster() *redis.ClusterClient {
	return redis.NewClusterClient(&redis.ClusterOptions{Addrs: p.resolving(), Password: p.password, MaxRedirects: 8})
}

// write sets prefix:i = i on each key's master and waits for one
// replica's acknowledgement; a key not acknowledged is tried again.
func (p probe) write(ctx context.Context, prefix string, n int) (written, error) {
	c := p.cluster()
	defer c.Close()
	w := written{ByPort: map[string]int{}}
	for i := 0; i < n; i++ {
		key := prefix + ":" + strconv.Itoa(i)
		var err error
		var port string
		for try := 0; try < 20; try++ {
			if port, err = setAcked(ctx, c, key, strconv.Itoa(i)); err == nil {
				w.Acked++
				w.ByPort[port]++
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			return w, fmt.Errorf("key %s: %w", key, err)
		}
	}
	return w, nil
}

// written counts the acknowledged keys, in all and by master port.
type written struct {
	Acked  int            `json:"acked"`
	ByPort map[string]int `json:"by_port"`
}

// setAcked returns the port of the master that acknowledged the write.
func setAcked(ctx context.Context, c *redis.ClusterClient, key, val string) (string, error) {
	m, err := c.MasterForKey(ctx, key)
	if err != nil {
		return "", err
	}
	_, port, _ := net.SplitHostPort(m.Options().Addr)
	var wait *redis.Cmd
	_, err = m.Pipelined(ctx, func(pl redis.Pipeliner) error {
		pl.Set(ctx, key, val, 0)
		wait = pl.Do(ctx, "WAIT", 1, 2000)
		return nil
	})
	if err != nil {
		return "", err
	}
	if acks, _ := wait.Int(); acks < 1 {
		return "", fmt.Errorf("WAIT 1: no replica acknowledged")
	}
	return port, nil
}

// read reads prefix:0..n-1 back; every value must be its index.
func (p probe) read(ctx context.Context, prefix string, n int) (map[string]int, error) {
	c := p.cluster()
	defer c.Close()
	for i := 0; i < n; i++ {
		key := prefix + ":" + strconv.Itoa(i)
		v, err := c.Get(ctx, key).Result()
		if err != nil || v != strconv.Itoa(i) {
			return map[string]int{"read": i}, fmt.Errorf("key %s = %q, %v; want %d", key, v, err, i)
		}
	}
	return map[string]int{"read": n}, nil
}

// Node is what one reachable node says of itself.
type Node struct {
	Seed   string `json:"seed"`
	ID     string `json:"id"`
	Role   string `json:"role"`
	Master string `json:"master,omitempty"`
	State  string `json:"state"` // cluster_state
}

func (p probe) nodes(ctx context.Context) []Node {
	var out []Node
	for _, s := range p.resolving() {
		c := redis.NewClient(&redis.Options{Addr: s, Password: p.password, DialTimeout: 2 * time.Second})
		if n, err := self(ctx, c); err == nil {
			n.Seed = s
			out = append(out, n)
		}
		c.Close()
	}
	return out
}

func self(ctx context.Context, c *redis.Client) (Node, error) {
	var n Node
	info, err := c.ClusterInfo(ctx).Result()
	if err != nil {
		return n, err
	}
	for _, l := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "cluster_state:"); ok {
			n.State = v
		}
	}
	nodes, err := c.ClusterNodes(ctx).Result()
	if err != nil {
		return n, err
	}
	for _, l := range strings.Split(nodes, "\n") {
		f := strings.Fields(l)
		if len(f) >= 4 && strings.Contains(f[2], "myself") {
			n.ID, n.Role = f[0], "replica"
			if strings.Contains(f[2], "master") {
				n.Role = "master"
			} else {
				n.Master = f[3]
			}
		}
	}
	return n, nil
}
