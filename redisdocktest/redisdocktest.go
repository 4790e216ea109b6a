//go:build !nodeimage

// Package redisdocktest gives tests a real Redis Cluster (or sentinel
// group) in Docker that is removed when the test ends, as net/http/httptest
// gives them a server. It keeps the testing package out of programs that
// only import redisdock.
//
//	c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, Replicas: 1})
//	rdb := c.Client()
//	rdb.Set(ctx, "k", "v", 0)
package redisdocktest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"hash/fnv"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock"
)

// ReuseEnv, when "1", turns on Options.Reuse for every Start.
const ReuseEnv = "REDIS_DOCK_REUSE"

// Options shape a test cluster. The zero value is a fast 3-master cluster
// without replicas, on free ports, with a random password.
type Options struct {
	Name        string        // default: derived from the test's name, unique per run
	Masters     int           // default 3
	Replicas    int           // replicas per master
	Port        int           // first port; default: a free range
	Password    string        // default: random
	NodeTimeout time.Duration // cluster-node-timeout; default 2s
	AppendOnly  bool          // default off: tests rarely need durability
	Image       string        // default redis-dock/node:latest, built when missing
	Endpoint    string        // hostname (default) or ip
	Config      []string      // extra redis.conf directives
	Wait        time.Duration // how long to wait for health; default 60s
	// TLS makes the nodes speak TLS only, with a CA of the cluster's own;
	// Cluster.Client() then trusts it.
	TLS bool
	// Users are ACL users, "NAME:RULES" as `up --user` takes them (each
	// gets a generated password: Cluster.UserPassword, NewClientAs).
	Users []string
	// NoDefaultUser turns the default user off (redis-dock's own admin
	// user serves Client() and replication).
	NoDefaultUser bool
	// Reuse keeps the cluster after the test and reuses it (flushed) on
	// the next run with the same Name; REDIS_DOCK_REUSE=1 turns it on too.
	Reuse bool
	// Log receives status lines; default: none.
	Log io.Writer
}

var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// spec turns options into a spec for test t.
func (o Options) spec(t testing.TB) redisdock.Spec {
	s := redisdock.DefaultSpec()
	s.Name = o.Name
	if s.Name == "" {
		s.Name = testName(t.Name())
	}
	s.Masters, s.Replicas = 3, o.Replicas
	if o.Masters != 0 {
		s.Masters = o.Masters
	}
	s.Port, s.Password, s.AppendOnly, s.Config = o.Port, o.Password, o.AppendOnly, o.Config
	s.NodeTimeout = 2000
	if o.NodeTimeout > 0 {
		s.NodeTimeout = int(o.NodeTimeout / time.Millisecond)
	}
	if o.Image != "" {
		s.Image = o.Image
	}
	if o.Endpoint != "" {
		s.Endpoint = o.Endpoint
	}
	if o.Wait > 0 {
		s.Wait = o.Wait
	}
	s.TLS = o.TLS
	s.Users, s.NoDefaultUser = o.Users, o.NoDefaultUser
	return s
}

// log is where status lines go: o.Log, or nowhere.
func (o Options) log() redisdock.Option {
	if o.Log == nil {
		return redisdock.WithLog(io.Discard, -1)
	}
	return redisdock.WithLog(o.Log, 0)
}

func testName(name string) string {
	base := strings.Trim(nonName.ReplaceAllString(strings.ToLower(name), "-"), "-")
	base = strings.TrimPrefix(base, "test")
	base = strings.Trim(base, "-")
	if len(base) > 24 {
		base = base[:24]
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return strings.Trim("t-"+base, "-") + "-" + hex.EncodeToString(b)
}

// Start brings up a cluster for test t and removes it (with its volumes)
// when the test ends, pass or fail. It fails the test when the cluster
// cannot be made.
func Start(t testing.TB, o Options) *redisdock.Cluster {
	t.Helper()
	reuse := o.Reuse || os.Getenv(ReuseEnv) == "1"
	if reuse && o.Name == "" {
		t.Fatal("redisdocktest.Start: Options.Reuse needs a stable Options.Name")
	}
	s := o.spec(t)
	ctx := context.Background()
	c, err := startWithPorts(ctx, s, o.Port == 0, reuse, o.log())
	if err != nil {
		t.Fatalf("redisdocktest.Start: %v", err)
	}
	t.Cleanup(func() {
		if reuse {
			c.Close()
			return
		}
		if err := c.Down(context.Background()); err != nil {
			t.Errorf("redisdocktest: removing cluster %s: %v", c.Name(), err)
		}
	})
	if reuse {
		if err := c.Flush(ctx); err != nil {
			t.Fatalf("redisdocktest.Start: flushing reused cluster: %v", err)
		}
	}
	return c
}

// startWithPorts picks free ports (stable ones, from the name, when the
// cluster is reused) and retries when another process took them first.
func startWithPorts(ctx context.Context, s redisdock.Spec, pick, reuse bool, log redisdock.Option) (*redisdock.Cluster, error) {
	var err error
	for try := 0; try < 4; try++ {
		if pick && reuse {
			s.Port = stablePort(s.Name, s.Nodes())
		} else if pick {
			if s.Port, err = redisdock.FreePorts(s.Nodes()); err != nil {
				return nil, err
			}
		}
		var c *redisdock.Cluster
		c, err = redisdock.Up(ctx, s, log)
		if err == nil || !pick || !errors.Is(err, redisdock.ErrPortInUse) {
			return c, err
		}
	}
	return nil, err
}

func stablePort(name string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return 10000 + int(h.Sum32()%uint32(12768-n))
}
