//go:build !nodeimage

// Package redisdock runs real Redis Clusters in Docker, for programs and
// for tests. It is the front door the redis-dock CLI itself uses.
//
// In a test, one call gives a healthy cluster that is removed when the
// test ends:
//
//	c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, Replicas: 1})
//	rdb := c.Client()
//	rdb.Set(ctx, "k", "v", 0)
//
// Up, Down and the Cluster type do the same outside tests.
//
// Nodes announce themselves as localhost:<published port>, so MOVED and
// ASK redirects work from the host on Linux and Docker Desktop alike.
//
// The package hands out go-redis clients, so it and the commands built on
// it are host-only (//go:build !nodeimage): the node image's small build
// has no go-redis cluster client to make them with.
package redisdock

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/tlsca"
)

// Spec is a cluster's full description, as the CLI and YAML files give it.
type Spec = spec.Spec

// Status is a cluster's state as `redis-dock status` shows it.
type Status = cluster.Status

// DefaultSpec returns what `redis-dock up` builds without flags.
func DefaultSpec() Spec { return spec.Default() }

// Cluster is a running cluster.
type Cluster struct {
	spec   Spec
	seeds  []string
	docker *docker.Client
	client *redis.ClusterClient
	result *cluster.Result
	before cluster.Owners // who served which slot before the last fault
}

// Option changes how Up runs (not what it builds).
type Option func(*cluster.Options)

// WithLog sends status lines to w; verbosity 1 and 2 add details, a
// negative verbosity shows warnings only.
func WithLog(w io.Writer, verbosity int) Option {
	return func(o *cluster.Options) { o.Logger = status.NewLogger(w, max(verbosity, 0), verbosity < 0) }
}

// ErrPortInUse says a port Up was to publish is taken; with other ports
// Up may succeed.
var ErrPortInUse = cluster.ErrPortInUse

// WithRetain keeps what a failed Up created, for debugging.
func WithRetain(retain bool) Option { return func(o *cluster.Options) { o.Retain = retain } }

// Up creates the cluster described by s, or confirms that it is already up
// with that spec, and returns once it is healthy.
func Up(ctx context.Context, s Spec, opts ...Option) (*Cluster, error) {
	return keepingDocker(opts, func(o cluster.Options) (*Cluster, error) {
		res, err := cluster.Up(ctx, s, o)
		if err != nil {
			return nil, err
		}
		return &Cluster{spec: res.Spec, seeds: res.Seeds(), docker: o.Docker, result: res}, nil
	})
}

// Existing reports whether Up found the cluster already there.
func (c *Cluster) Existing() bool { return c.result != nil && c.result.Existing }

// Elapsed is how long Up took.
func (c *Cluster) Elapsed() time.Duration {
	if c.result == nil {
		return 0
	}
	return c.result.Elapsed
}

// Password returns the password of a named cluster, read from its nodes.
func Password(ctx context.Context, name string) (string, error) {
	d, err := docker.New()
	if err != nil {
		return "", err
	}
	defer d.Close()
	return cluster.Password(ctx, name, cluster.Options{Docker: d})
}

// UserPassword returns the password of ACL user user (made with
// Spec.Users, --user) of a named cluster, read from its nodes.
func UserPassword(ctx context.Context, name, user string) (string, error) {
	d, err := docker.New()
	if err != nil {
		return "", err
	}
	defer d.Close()
	return cluster.UserPassword(ctx, name, user, cluster.Options{Docker: d})
}

// CACert returns the PEM of a named TLS cluster's CA, read from its
// nodes: what clients pass as their CA (redis-cli --cacert).
func CACert(ctx context.Context, name string) ([]byte, error) {
	a, err := clusterTLS(ctx, name)
	if err != nil {
		return nil, err
	}
	return a.CACert, nil
}

// ClientCert returns the client certificate and key (PEM) of a named TLS
// cluster whose nodes want one (made with --tls-client-auth).
func ClientCert(ctx context.Context, name string) (cert, key []byte, err error) {
	a, err := clusterTLS(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	if a.Client == nil {
		return nil, nil, fmt.Errorf("--name %s: the nodes want no client certificate (the cluster was made without --tls-client-auth)", name)
	}
	return a.Client.Cert, a.Client.Key, nil
}

func clusterTLS(ctx context.Context, name string) (*tlsca.Authority, error) {
	d, err := docker.New()
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return cluster.TLS(ctx, name, cluster.Options{Docker: d})
}

// Removed counts what Down deleted.
type Removed = docker.Removed

// Down removes a cluster by name; volumes too when volumes is true.
func Down(ctx context.Context, name string, volumes bool, opts ...Option) (Removed, error) {
	d, err := docker.New()
	if err != nil {
		return Removed{}, err
	}
	defer d.Close()
	o := cluster.Options{Docker: d}
	for _, opt := range opts {
		opt(&o)
	}
	return cluster.Down(ctx, name, volumes, o)
}

// Summary is one cluster in List.
type Summary = cluster.Summary

// List finds every cluster by label.
func List(ctx context.Context) ([]Summary, error) {
	d, err := docker.New()
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return cluster.List(ctx, cluster.Options{Docker: d})
}

// GetStatus reads a cluster's state.
func GetStatus(ctx context.Context, name string) (*Status, error) {
	d, err := docker.New()
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return cluster.GetStatus(ctx, name, cluster.Options{Docker: d})
}

// Name is the cluster's name.
func (c *Cluster) Name() string { return c.spec.Name }

// Spec is the spec the cluster was made from (with its password).
func (c *Cluster) Spec() Spec { return c.spec }

// Addrs are the host-side addresses of every node (127.0.0.1:<port>).
func (c *Cluster) Addrs() []string { return append([]string(nil), c.seeds...) }

// Password is the cluster's password.
func (c *Cluster) Password() string { return c.spec.Password }

// UserPassword is the password of ACL user user (Spec.Users), false for
// no such user.
func (c *Cluster) UserPassword(user string) (string, bool) { return c.spec.UserPassword(user) }

// NewClientAs is NewClient authenticated as ACL user user (Spec.Users)
// instead of redis-dock's admin user.
func (c *Cluster) NewClientAs(user string, opts *redis.ClusterOptions) (*redis.ClusterClient, error) {
	pw, ok := c.UserPassword(user)
	if !ok {
		return nil, fmt.Errorf("cluster %s has no ACL user %q", c.spec.Name, user)
	}
	o := redis.ClusterOptions{}
	if opts != nil {
		o = *opts
	}
	o.Username, o.Password = user, pw
	if o.ClusterStateReloadInterval == 0 {
		o.ClusterStateReloadInterval = time.Second
	}
	a := c.auth()
	a.User, a.Password = user, pw
	return redisx.NewClusterClient(c.Addrs(), a, &o), nil
}

// Client returns a ClusterClient seeded with every node; it is closed by
// Close.
func (c *Cluster) Client() *redis.ClusterClient {
	if c.client == nil {
		c.client = c.NewClient(nil)
	}
	return c.client
}

// NewClient returns a new ClusterClient for the cluster; opts (may be nil)
// supplies timeouts and pool settings; Addrs, Password and, on a TLS
// cluster, TLSConfig (the cluster's CA, and a client certificate when the
// nodes want one) are filled in. The caller closes it.
func (c *Cluster) NewClient(opts *redis.ClusterOptions) *redis.ClusterClient {
	o := redis.ClusterOptions{}
	if opts != nil {
		o = *opts
	}
	if o.ClusterStateReloadInterval == 0 {
		// go-redis reloads the slot map only every 60s without redirects;
		// after a failover the dead master gives no redirect, so reload
		// often enough for a test's client to follow the new master.
		o.ClusterStateReloadInterval = time.Second
	}
	return redisx.NewClusterClient(c.Addrs(), c.auth(), &o)
}

// auth is how clients connect: the password and the TLS material.
func (c *Cluster) auth() redisx.Auth {
	if c.result == nil {
		return redisx.Auth{User: c.spec.AdminUser(), Password: c.spec.Password}
	}
	return c.result.Auth()
}

// TLSConfig is the crypto/tls configuration clients of a TLS cluster
// need (its CA, and a client certificate when the nodes want one); nil
// for a cluster without TLS.
func (c *Cluster) TLSConfig() (*tls.Config, error) {
	a := c.auth()
	if a.TLS == nil {
		return nil, nil
	}
	return a.TLS.Config()
}

// CACert is the PEM of a TLS cluster's CA; nil without TLS.
func (c *Cluster) CACert() []byte {
	if a := c.auth(); a.TLS != nil {
		return append([]byte(nil), a.TLS.CA...)
	}
	return nil
}

// Down removes the cluster and its volumes, and closes c.
func (c *Cluster) Down(ctx context.Context) error {
	closeClient(&c.client)
	defer c.docker.Close()
	_, err := cluster.Down(ctx, c.spec.Name, true, cluster.Options{Docker: c.docker})
	return err
}

// Close closes the client and the Docker connection; the cluster stays.
// Do not use c after Close.
func (c *Cluster) Close() error {
	closeClient(&c.client)
	return c.docker.Close()
}

// closeClient closes the client a Cluster or SentinelGroup made on first
// use, if it made one, and forgets it.
func closeClient[C interface {
	comparable
	io.Closer
}](client *C) {
	var none C
	if *client != none {
		(*client).Close()
		*client = none
	}
}

// Status reads the cluster's state.
func (c *Cluster) Status(ctx context.Context) (*Status, error) {
	return cluster.GetStatus(ctx, c.spec.Name, cluster.Options{Docker: c.docker})
}

func (c *Cluster) String() string {
	return fmt.Sprintf("redis-dock cluster %q (%d masters, %d replicas each)", c.spec.Name, c.spec.Masters, c.spec.Replicas)
}

func (c *Cluster) opts() cluster.Options { return cluster.Options{Docker: c.docker} }

// Restart restarts every node and waits until the cluster is healthy.
func (c *Cluster) Restart(ctx context.Context) error {
	return cluster.Restart(ctx, c.spec.Name, c.spec.Wait, c.opts())
}

// WaitHealthy waits until the cluster is healthy again.
func (c *Cluster) WaitHealthy(ctx context.Context, timeout time.Duration) error {
	err := cluster.WaitHealthy(ctx, c.spec.Name, timeout, c.opts())
	c.reload(ctx)
	return err
}

// Ping checks that a Docker engine answers.
func Ping(ctx context.Context) error {
	d, err := docker.New()
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Ping(ctx)
}

// Flush empties every master (FLUSHALL), for a reused cluster.
func (c *Cluster) Flush(ctx context.Context) error {
	return c.Client().ForEachMaster(ctx, func(ctx context.Context, m *redisClient) error {
		return m.FlushAll(ctx).Err()
	})
}
