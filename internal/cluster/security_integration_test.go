package cluster

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/acl"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
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

// appRules are the rules of the proof's app user. FLUSHALL is in @write
// (and @keyspace, @dangerous) in Redis 7.0, so +@read +@write alone would
// allow it: -@dangerous takes it away again.
const appRules = "~app:* +@read +@write -@dangerous"

// TestIntegrationACLUsers brings up a 3x1 cluster with --user app and
// --no-default-user and proves: app writes app:1 and is refused (NOPERM)
// other keys and FLUSHALL; the default user is off; redis-dock's own
// admin user carries replication (a master killed under acknowledged
// writes fails over to its replica, nothing acknowledged is lost, the
// killed node restarts with its ACL); scale adds a master whose ACL LIST
// is the same as every other node's, and so do the 8 nodes upgrade makes
// again; no password is in docker inspect.
func TestIntegrationACLUsers(t *testing.T) {
	ctx := context.Background()
	d := testutil.ParallelDocker(t)
	s, o := newSpec(t, d, "acl")
	s.Port = testutil.FreePortRange(t, 8) // 3x1, then 4x1
	s.Users, s.NoDefaultUser = []string{"app:" + appRules}, true
	res, err := Up(ctx, s, o)
	if err != nil {
		t.Fatal(err)
	}
	appPW, ok := res.Spec.UserPassword("app")
	if !ok || appPW == "" || appPW == res.Spec.Password {
		t.Fatalf("user app got password %q (ok %v); want its own generated one", appPW, ok)
	}
	if got, err := UserPassword(ctx, s.Name, "app", o); err != nil || got != appPW {
		t.Fatalf("password --user app read from the nodes = %q, %v; want the one up made", got, err)
	}

	app := redis.NewClusterClient(&redis.ClusterOptions{Addrs: res.Seeds(), Username: "app", Password: appPW, MaxRedirects: 16})
	defer app.Close()
	checkAppUser(t, app)
	checkDefaultUserOff(t, res.Seeds()[0], res.Spec.Password)
	checkACLsEqual(t, d, s.Name, res.Spec.Password, 6)

	killed, newMaster := failoverUnderWrites(t, s.Name, o, res)
	t.Logf("failover with the default user off: %s took over from %s", newMaster, killed)
	checkAppUser(t, app)

	four := scale(t, s.Name, ScaleOptions{Masters: 4, Replicas: 1}, o)
	if len(four.Added) != 2 {
		t.Fatalf("scale to 4x1 added %v, want 2 nodes", four.Added)
	}
	checkACLsEqual(t, d, s.Name, res.Spec.Password, 8)
	checkAppUser(t, app)

	// databases needs a new container: upgrade makes every node again.
	up, err := Upgrade(ctx, s.Name, UpgradeOptions{Config: []string{"databases 4"}, Wait: 2 * time.Minute}, o)
	if err != nil || len(up.Replaced) != 8 {
		t.Fatalf("upgrade --config 'databases 4': replaced %v, %v; want all 8 nodes made again", up, err)
	}
	checkACLsEqual(t, d, s.Name, res.Spec.Password, 8)
	checkAppUser(t, app)
	checkSecretsOutOfInspect(t, d, s.Name, res.Spec.Password, appPW)
}

// checkAppUser: app writes and reads app:1, and gets NOPERM for another
// key and for FLUSHALL (after which app:1 is still there).
func checkAppUser(t *testing.T, app *redis.ClusterClient) {
	t.Helper()
	ctx := context.Background()
	if err := app.Set(ctx, "app:1", "v", 0).Err(); err != nil {
		t.Fatalf("app: SET app:1: %v", err)
	}
	if err := app.Set(ctx, "other", "v", 0).Err(); err == nil || !strings.HasPrefix(err.Error(), "NOPERM") {
		t.Errorf("app: SET other = %v, want NOPERM", err)
	}
	err := app.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return c.FlushAll(ctx).Err() })
	if err == nil || !strings.HasPrefix(err.Error(), "NOPERM") {
		t.Errorf("app: FLUSHALL = %v, want NOPERM", err)
	}
	if v, err := app.Get(ctx, "app:1").Result(); err != nil || v != "v" {
		t.Errorf("app: GET app:1 = %q, %v after the refused FLUSHALL", v, err)
	}
}

// checkDefaultUserOff: AUTH as default fails, with the admin password
// too, and a client without AUTH is refused.
func checkDefaultUserOff(t *testing.T, addr, adminPW string) {
	t.Helper()
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DisableIdentity: true})
	defer c.Close()
	if err := c.Ping(ctx).Err(); err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Errorf("PING without AUTH = %v, want NOAUTH", err)
	}
	for _, pw := range []string{adminPW, "x"} {
		if err := c.Do(ctx, "AUTH", "default", pw).Err(); err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
			t.Errorf("AUTH default = %v, want WRONGPASS (the default user is off)", err)
		}
	}
}

// checkACLsEqual: every one of want nodes answers ACL LIST (as
// redis-dock's admin user) with the same users, app and redis-dock on
// and default off, and the same rules (in any order).
func checkACLsEqual(t *testing.T, d *docker.Client, name, adminPW string, want int) {
	t.Helper()
	ctx := context.Background()
	cts, err := d.List(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	nodes := docker.Nodes(cts)
	if len(nodes) != want {
		t.Fatalf("%d nodes, want %d", len(nodes), want)
	}
	var first string
	for _, n := range nodes {
		c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + itoa(n.Port), Username: acl.Admin, Password: adminPW, DisableIdentity: true})
		list, err := c.Do(ctx, "ACL", "LIST").StringSlice()
		c.Close()
		if err != nil {
			t.Fatalf("%s: ACL LIST as %s: %v", n.Name, acl.Admin, err)
		}
		for _, w := range []string{"user app on #", "user default off", "user redis-dock on #"} {
			if !strings.Contains(strings.Join(list, "\n"), w) {
				t.Errorf("%s: ACL LIST has no %q:\n%s", n.Name, w, strings.Join(list, "\n"))
			}
		}
		got := canonicalACL(list)
		if first == "" {
			first = got
		} else if got != first {
			t.Errorf("%s: ACL LIST differs:\n%s\nwant:\n%s", n.Name, got, first)
		}
	}
}

// canonicalACL is ACL LIST with each user's rules sorted: Redis lists the
// single commands of a user in its own hash order, which differs between
// processes with the same ACL.
func canonicalACL(list []string) string {
	out := make([]string, len(list))
	for i, l := range list {
		w := strings.Fields(l)
		sort.Strings(w[2:])
		out[i] = strings.Join(w, " ")
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// checkSecretsOutOfInspect: neither password is in any node's docker
// inspect (environment, args, labels); the users' file is root's, 0600.
func checkSecretsOutOfInspect(t *testing.T, d *docker.Client, name string, secrets ...string) {
	t.Helper()
	ctx := context.Background()
	cts, err := d.List(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range docker.Nodes(cts) {
		raw, err := d.InspectRaw(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range secrets {
			if strings.Contains(string(raw), s) {
				t.Errorf("password %d appears in docker inspect of %s", i, c.Name)
			}
		}
		mode, uid, _, err := d.FileInfo(ctx, c.ID, provision.PrivateDir+"/users")
		if err != nil || mode != 0o600 || uid != 0 {
			t.Errorf("%s: users file mode %o uid %d (%v), want 0600 root", c.Name, mode, uid, err)
		}
	}
}

// TestIntegrationACLRulesRefused: an unknown category or command is
// refused, naming the user and the rule, before anything is created.
func TestIntegrationACLRulesRefused(t *testing.T) {
	ctx := context.Background()
	d := testutil.ParallelDocker(t)
	for rule, want := range map[string]string{
		"+@reed":   `--user app: rule "+@reed": unknown category`,
		"+flushal": `--user app: rule "+flushal": unknown command`,
	} {
		s, o := newSpec(t, d, "aclbad")
		s.Users = []string{"app:~app:* " + rule}
		_, err := Up(ctx, s, o)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("up --user app:'~app:* %s' = %v, want %q", rule, err, want)
		}
		cts, lerr := d.List(ctx, s.Name)
		if lerr != nil || len(cts) != 0 {
			t.Errorf("after the refusal %d containers of %s exist (%v), want none", len(cts), s.Name, lerr)
		}
	}
}

// TestIntegrationLockedNodes brings up a bridge cluster with --memory and
// --cpus: every container is locked down (inspect), a write into / fails
// while the same write into /data works and CONFIG REWRITE persists
// across a restart; maxmemory is 75% of the limit; the nodes survive a
// restart (same ID, keys back), a failover, a scale (new nodes locked
// too) and an upgrade to a second image (made again, still locked).
func TestIntegrationLockedNodes(t *testing.T) {
	const mem, cpus = 256 << 20, 500_000_000
	second := testutil.SecondImage(t, testutil.Docker(t)) // removed after the cluster
	d, s, o, res := upTest(t, "lock", func(s *spec.Spec) { s.Memory, s.CPUs = "256m", "0.5" })
	ctx := context.Background()
	if n := testutil.AssertLocked(t, d, s.Name, mem, cpus); n != 6 {
		t.Fatalf("checked %d containers, want 6", n)
	}
	rdb := withKeys(t, res, "lock", 500)

	cts, err := d.List(ctx, s.Name)
	if err != nil {
		t.Fatal(err)
	}
	c := cts[0]
	node := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", c.Port), Password: res.Spec.Password})
	defer node.Close()
	if got := node.ConfigGet(ctx, "maxmemory").Val()["maxmemory"]; got != strconv.Itoa(mem*75/100) {
		t.Errorf("maxmemory %q, want %d (75%% of --memory 256m)", got, mem*75/100)
	}

	// an intruder cannot write into the image; the node's own places work
	dump := func(file string) (int, string) {
		code, out, err := d.Exec(ctx, c.ID, []string{"redis-cli", "-p", strconv.Itoa(c.Port), "-a", res.Spec.Password,
			"--no-auth-warning", "--rdb", file})
		if err != nil {
			t.Fatal(err)
		}
		return code, out
	}
	if code, out := dump("/data/lock-check.rdb"); code != 0 {
		t.Fatalf("redis-cli --rdb /data/lock-check.rdb in %s: exit %d: %s; want it written (the data volume)", c.Name, code, out)
	}
	if code, out := dump("/x.rdb"); code == 0 {
		t.Errorf("redis-cli --rdb /x.rdb in %s wrote into the root filesystem (%s); want it refused", c.Name, out)
	}
	if err := node.ConfigSet(ctx, "maxmemory-policy", "allkeys-lru").Err(); err != nil {
		t.Fatal(err)
	}
	if err := node.ConfigRewrite(ctx).Err(); err != nil {
		t.Fatalf("CONFIG REWRITE in %s: %v", c.Name, err)
	}

	// restart: same node ID, keys back, the rewritten config kept
	ids := nodeIDs(t, s.Name, o)
	if err := d.Restart(ctx, c.ID, 10); err != nil {
		t.Fatal(err)
	}
	if err := WaitHealthy(ctx, s.Name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
	if after := nodeIDs(t, s.Name, o); after[c.Name] != ids[c.Name] {
		t.Errorf("%s came back as %s, was %s", c.Name, after[c.Name], ids[c.Name])
	}
	if got := node.ConfigGet(ctx, "maxmemory-policy").Val()["maxmemory-policy"]; got != "allkeys-lru" {
		t.Errorf("after restart maxmemory-policy is %q, want allkeys-lru (CONFIG REWRITE lost)", got)
	}
	testutil.CheckKeys(t, rdb, "lock", 500)

	// failover: a killed master's replica takes over, no acknowledged write lost
	killed, newMaster := failoverUnderWrites(t, s.Name, o, res)
	t.Logf("failover: %s killed, %s took over", killed, newMaster)

	// scale: new nodes are locked down too
	if _, err := Scale(ctx, s.Name, ScaleOptions{Masters: 4, Replicas: -1}, o); err != nil {
		t.Fatal(err)
	}
	if n := testutil.AssertLocked(t, d, s.Name, mem, cpus); n != 8 {
		t.Errorf("after scale to 4 masters: checked %d containers, want 8", n)
	}
	testutil.CheckKeys(t, rdb, "lock", 500)

	// upgrade: every node made again from the second image, still locked
	before := snapshotNodes(t, d, s.Name, o)
	up, err := Upgrade(ctx, s.Name, UpgradeOptions{Image: second}, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Replaced) != 8 {
		t.Errorf("upgrade replaced %v, want all 8 nodes", up.Replaced)
	}
	before.checkUpgraded(t, d, second, o)
	testutil.AssertLocked(t, d, s.Name, mem, cpus)
	testutil.CheckKeys(t, rdb, "lock", 500)
}
