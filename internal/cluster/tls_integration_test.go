package cluster

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/templates"
)

// TestIntegrationTLS brings up a 3x1 cluster with --tls and proves that
// every node speaks TLS only and that redis-dock's work after up runs
// over TLS: a go-redis ClusterClient that trusts only the cluster's CA
// writes and reads 2000 keys, a plaintext connection is refused,
// redis-cli --tls --cacert (a foreign client) checks the cluster, the
// key files are 0600 in the containers and out of inspect, a killed
// master fails over (TLS replication) with every key readable, heal
// starts it again, and scale adds a master (and its replica) over TLS,
// moving keys with MIGRATE between TLS nodes.
func TestIntegrationTLS(t *testing.T) {
	ctx := context.Background()
	d := testutil.ParallelDocker(t)
	s, o := newSpec(t, d, "tls")
	s.Port = testutil.FreePortRange(t, 8) // 3x1, then 4x1
	s.TLS = true
	res, err := Up(ctx, s, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.TLS == nil || len(res.TLS.CACert) == 0 {
		t.Fatal("up --tls returned no CA")
	}
	pw := res.Spec.Password
	rdb := caClient(t, res.Seeds(), pw, res.TLS.CACert)
	testutil.WriteRead(t, rdb, "k", 2000)

	checkPlaintextRefused(t, res.Seeds()[0], pw, res.TLS.CACert)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, res.TLS.CACert, 0o600); err != nil {
		t.Fatal(err)
	}
	testutil.RedisCliCheckWith(t, res.Seeds()[0], pw, "--tls", "--cacert", caFile)
	checkTLSFiles(t, d, s.Name, pw)
	if again, err := Up(ctx, s, o); err != nil || !again.Existing {
		t.Fatalf("a second up --tls: existing=%v err=%v", again != nil && again.Existing, err)
	}

	tlsFailover(t, s.Name, o)
	testutil.CheckKeys(t, rdb, "k", 2000)
	hr, err := Heal(ctx, s.Name, HealOptions{Wait: 2 * time.Minute}, o)
	if err != nil || len(hr.Started) != 1 {
		t.Fatalf("heal over TLS: %+v, %v", hr, err)
	}
	tlsMoves(t, s.Name, o)
	testutil.CheckKeys(t, rdb, "k", 2000)

	four := scale(t, s.Name, ScaleOptions{Masters: 4, Replicas: 1}, o)
	if len(four.Added) != 2 || four.Moved.Keys == 0 {
		t.Fatalf("scale to 4x1 over TLS: added %v, moved %d keys; want 2 nodes and keys moved by MIGRATE", four.Added, four.Moved.Keys)
	}
	checkShares(t, s.Name, 4, o)
	testutil.CheckKeys(t, rdb, "k", 2000)
	checkTLSFiles(t, d, s.Name, pw)
	testutil.RedisCliCheckWith(t, res.Seeds()[0], pw, "--tls", "--cacert", caFile)
	st, err := GetStatus(ctx, s.Name, o)
	if err != nil || !st.Healthy || len(st.Nodes) != 8 || !st.TLS {
		t.Fatalf("status over TLS after scale: %+v, %v", st, err)
	}
}

// caClient is a go-redis ClusterClient that trusts only ca, made here
// (not by redisx) as any user's program would make it.
func caClient(t *testing.T, seeds []string, pw string, ca []byte) *redis.ClusterClient {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		t.Fatal("the CA is not PEM")
	}
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: seeds, Password: pw, MaxRedirects: 16,
		TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, ClusterStateReloadInterval: time.Second,
		DialTimeout: time.Second, ReadTimeout: 2 * time.Second})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// checkPlaintextRefused: the node answers PING over TLS, and a plaintext
// client on the same port gets no answer.
func checkPlaintextRefused(t *testing.T, addr, pw string, ca []byte) {
	t.Helper()
	ctx := context.Background()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	secure := redis.NewClient(&redis.Options{Addr: addr, Password: pw, TLSConfig: &tls.Config{RootCAs: pool}})
	defer secure.Close()
	if err := secure.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING over TLS to %s: %v", addr, err)
	}
	plain := redis.NewClient(&redis.Options{Addr: addr, Password: pw, MaxRetries: -1, DialTimeout: time.Second, ReadTimeout: 2 * time.Second})
	defer plain.Close()
	if err := plain.Ping(ctx).Err(); err == nil {
		t.Fatalf("a plaintext PING to %s was answered", addr)
	}
}

// checkTLSFiles checks every node's key material: readable by the redis
// user only, the CA key by root only, and none of it (nor the password)
// in docker inspect.
func checkTLSFiles(t *testing.T, d *docker.Client, cluster, pw string) {
	t.Helper()
	ctx := context.Background()
	for _, c := range docker.Nodes(testutil.Containers(t, d, cluster)) {
		for _, f := range []struct {
			path string
			uid  int
		}{
			{images.TLSDir + "/" + templates.TLSKeyFile, images.UID},
			{images.TLSDir + "/" + templates.TLSCertFile, images.UID},
			{images.TLSDir + "/" + templates.TLSCAFile, images.UID},
			{provision.PrivateDir + "/ca.key", 0},
		} {
			mode, uid, _, err := d.FileInfo(ctx, c.ID, f.path)
			if err != nil || mode != 0o600 || uid != f.uid {
				t.Errorf("%s:%s: mode %o uid %d (%v), want 0600 uid %d", c.Name, f.path, mode, uid, err, f.uid)
			}
		}
		key, err := d.ReadFile(ctx, c.ID, images.TLSDir+"/"+templates.TLSKeyFile)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := d.InspectRaw(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.Split(string(key), "\n")[1] // the key's first base64 line
		for what, secret := range map[string]string{"the password": pw, "PRIVATE KEY": "PRIVATE KEY", "the node key": body} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("%s appears in docker inspect of %s", what, c.Name)
			}
		}
	}
}

// tlsMoves moves slots with their keys (MIGRATE between TLS nodes) by
// reshard and rebalance, and has a replica take over by a manual
// failover, all through the TLS admin connections.
func tlsMoves(t *testing.T, name string, o Options) {
	t.Helper()
	ctx := context.Background()
	st := mustStatus(t, name, o)
	var masters, replicas []NodeStatus
	for _, n := range st.Nodes {
		if n.Role == "master" {
			masters = append(masters, n)
		} else {
			replicas = append(replicas, n)
		}
	}
	if len(masters) != 3 || len(replicas) != 3 {
		t.Fatalf("want 3 masters and 3 replicas: %+v", st.Nodes)
	}
	moved, err := Reshard(ctx, name, ReshardOptions{From: masters[0].Port, To: masters[1].Port, Slots: 1000, Wait: time.Minute}, o)
	if err != nil || moved.Slots != 1000 || moved.Keys == 0 {
		t.Fatalf("reshard over TLS: %+v, %v; want 1000 slots and their keys moved", moved, err)
	}
	rb, err := Rebalance(ctx, name, RebalanceOptions{Wait: time.Minute}, o)
	if err != nil || rb.Moved.Keys == 0 {
		t.Fatalf("rebalance over TLS: %+v, %v; want keys moved back", rb, err)
	}
	fr, err := Failover(ctx, name, replicas[0].Port, FailoverOptions{}, o)
	if err != nil || fr.Node != replicas[0].Name {
		t.Fatalf("manual failover of %s over TLS: %+v, %v", replicas[0].Name, fr, err)
	}
	if err := WaitHealthy(ctx, name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
}

// tlsFailover kills the master of slot 0 and waits until its replica
// serves the slot (TLS replication and the TLS cluster bus at work).
func tlsFailover(t *testing.T, name string, o Options) {
	t.Helper()
	ctx := context.Background()
	st := mustStatus(t, name, o)
	var master NodeStatus
	for _, n := range st.Nodes {
		if n.Role == "master" && strings.HasPrefix(n.Slots, "0-") {
			master = n
		}
	}
	if master.Name == "" {
		t.Fatalf("no master serves slot 0: %+v", st.Nodes)
	}
	if _, err := Inject(ctx, name, "kill", []string{master.Name}, o); err != nil {
		t.Fatal(err)
	}
	if _, err := WaitFailover(ctx, name, 0, master.ID, time.Minute, o); err != nil {
		t.Fatal(err)
	}
}
