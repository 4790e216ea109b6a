package sentinel

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/cluster"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/internal/topology"
	"github.com/redis-dock/redis-dock/templates"
)

// newSpec returns a sentinel spec (1 master, 2 replicas, 3 sentinels,
// down-after 1s) with a unique name and free ports, edited by edit, and
// removes whatever carries its label when the test ends.
func newSpec(t *testing.T, d *docker.Client, prefix string, edit func(*spec.Spec)) (spec.Spec, provision.Options) {
	t.Helper()
	s := spec.Default()
	s.Mode, s.Masters, s.Replicas, s.Sentinels, s.DownAfter = spec.ModeSentinel, 1, 2, 3, 1000
	s.Name = testutil.UniqueName(prefix)
	if edit != nil {
		edit(&s)
	}
	s.Port = testutil.FreePortRange(t, s.Nodes())
	o := provision.Options{Docker: d, Logger: testutil.Logger(t)}
	testutil.RemoveOnCleanup(t, d, s.Name)
	return s, o
}

// upTest runs t in parallel with the other integration tests and brings
// up a group for it: newSpec's spec, changed by edit when not nil. The
// test fails when it does not come up.
func upTest(t *testing.T, prefix string, edit func(*spec.Spec)) (spec.Spec, provision.Options, *Result) {
	t.Helper()
	d := testutil.ParallelDocker(t)
	s, o := newSpec(t, d, prefix, edit)
	res, err := Up(context.Background(), s, o)
	if err != nil {
		t.Fatal(err)
	}
	return s, o, res
}

// failoverClient asks the published sentinels where the master is.
func failoverClient(r *Result) *redis.Client {
	return redis.NewFailoverClient(&redis.FailoverOptions{
		MasterName: r.MasterName(), SentinelAddrs: r.SentinelAddrs(),
		SentinelPassword: r.Spec.Password, Username: r.Spec.AdminUser(), Password: r.Spec.Password, TLSConfig: tlsConfig(r),
		DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
	})
}

// sentinelClient is a client of the sentinel at addr.
func sentinelClient(r *Result, addr string) *redis.SentinelClient {
	return redis.NewSentinelClient(&redis.Options{Addr: addr, Password: r.Spec.Password, TLSConfig: tlsConfig(r)})
}

// tlsConfig trusts the group's CA; nil for a group without TLS.
func tlsConfig(r *Result) *tls.Config {
	if r.TLS == nil {
		return nil
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(r.TLS.CACert) {
		panic("the group's CA is not PEM")
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

func writeRead(t *testing.T, rdb *redis.Client, prefix string, n int) {
	t.Helper()
	ctx := context.Background()
	_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := 0; i < n; i++ {
			p.Set(ctx, fmt.Sprintf("%s:%d", prefix, i), i, 0)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("writing %d keys: %v", n, err)
	}
	for i := 0; i < n; i++ {
		if v, err := rdb.Get(ctx, fmt.Sprintf("%s:%d", prefix, i)).Int(); err != nil || v != i {
			t.Fatalf("key %s:%d = %d, %v", prefix, i, v, err)
		}
	}
}

func TestIntegrationSentinelUp(t *testing.T) {
	ctx := context.Background()
	s, o, res := upTest(t, "sentinel-up", nil)
	t.Logf("up took %s (start %s, replication and sentinels %s)", res.Elapsed, res.Start, res.Boot)
	checkReplicasHandedOut(t, res)
	rdb := failoverClient(res)
	defer rdb.Close()
	writeRead(t, rdb, "k", 1000)
	checkLabels(t, o.Docker, res)
	checkStatus(t, s.Name, o, 2, 3)
	checkAddressMap(t, res)
	checkConfigRewrite(t, o.Docker, res)
	testutil.AssertNoPasswordInInspect(t, o.Docker, s.Name, res.Spec.Password)

	testutil.UpAgain(t, func(s spec.Spec) (bool, error) {
		r, err := Up(ctx, s, o)
		return r != nil && r.Existing, err
	}, s, func(s *spec.Spec) { s.Sentinels = 5 }, "--sentinels")
	if ok, err := IsSentinel(ctx, s.Name, o); !ok || err != nil {
		t.Fatalf("IsSentinel = %v, %v", ok, err)
	}
	for i := 0; i < 2; i++ {
		if _, err := cluster.Down(ctx, s.Name, true, o); err != nil {
			t.Fatalf("down #%d: %v", i+1, err)
		}
	}
	if left, err := o.Docker.Leftovers(ctx, s.Name); err != nil || left != (docker.Removed{}) {
		t.Fatalf("after down: %+v left, err %v", left, err)
	}
}

// TestIntegrationSentinelNoPassword: without a password on a bridge,
// replicas and sentinels still reach each other (no protected mode).
func TestIntegrationSentinelNoPassword(t *testing.T) {
	s, o, res := upTest(t, "sentinel-nopw", func(s *spec.Spec) { s.NoPassword, s.Replicas = true, 1 })
	if res.Spec.Password != "" {
		t.Fatalf("password %q with --no-password", res.Spec.Password)
	}
	rdb := failoverClient(res)
	defer rdb.Close()
	writeRead(t, rdb, "open", 10)
	checkStatus(t, s.Name, o, 1, 3)
}

// checkLabels checks roles, ports and indexes on the containers, and that
// every port answers on loopback.
func checkLabels(t *testing.T, d *docker.Client, r *Result) {
	t.Helper()
	cts, err := d.List(context.Background(), r.Spec.Name)
	if err != nil {
		t.Fatal(err)
	}
	if len(cts) != len(r.Nodes) {
		t.Fatalf("%d containers, want %d", len(cts), len(r.Nodes))
	}
	for i, c := range cts {
		n := r.Nodes[i]
		if c.Role != n.Role || c.Port != n.Port || c.Index != i || c.Labels[docker.LabelSpec] == "" {
			t.Errorf("container %s: role %q port %d index %d, want %q %d %d", c.Name, c.Role, c.Port, c.Index, n.Role, n.Port, i)
		}
		conn, err := net.DialTimeout("tcp", cluster.AdminAddr(r.Spec, c.Port), time.Second)
		if err != nil {
			t.Errorf("port %d is not published on loopback: %v", c.Port, err)
			continue
		}
		conn.Close()
	}
}

func checkStatus(t *testing.T, name string, o provision.Options, replicas, sentinels int) *Status {
	t.Helper()
	st, err := GetStatus(context.Background(), name, o)
	if err != nil || !st.Healthy {
		t.Fatalf("status: err=%v status=%+v", err, st)
	}
	if len(st.Nodes) != 1+replicas || len(st.Sentinels) != sentinels || st.Master == "" {
		t.Fatalf("status shows %d data nodes, %d sentinels, master %q", len(st.Nodes), len(st.Sentinels), st.Master)
	}
	for _, v := range st.Sentinels {
		if !v.QuorumOK || v.Sentinels != sentinels-1 || v.Flags != "master" {
			t.Errorf("sentinel %s: %+v", v.Name, v)
		}
	}
	return st
}

// checkAddressMap is the Docker Desktop recipe from the README: a client
// that maps every address the sentinels hand out to 127.0.0.1 and the
// same (1:1 published) port.
func checkAddressMap(t *testing.T, r *Result) {
	t.Helper()
	rdb := redis.NewFailoverClient(&redis.FailoverOptions{
		MasterName: r.MasterName(), SentinelAddrs: r.SentinelAddrs(),
		SentinelPassword: r.Spec.Password, Password: r.Spec.Password,
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return (&net.Dialer{}).DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
		},
	})
	defer rdb.Close()
	writeRead(t, rdb, "mapped", 10)
}

// checkConfigRewrite checks sentinel could rewrite its config (it stores
// its ID there at start) and a data node can CONFIG REWRITE, which
// sentinel sends after every REPLICAOF it orders.
func checkConfigRewrite(t *testing.T, d *docker.Client, r *Result) {
	t.Helper()
	ctx := context.Background()
	for _, c := range testutil.Containers(t, d, r.Spec.Name) {
		if c.Role != topology.RoleSentinel {
			continue
		}
		conf, err := d.ReadFile(ctx, c.ID, SentinelConfigPath)
		if err != nil || !strings.Contains(string(conf), "sentinel myid ") {
			t.Errorf("%s: sentinel.conf was not rewritten (%v):\n%s", c.Name, err, conf)
		}
	}
	replica := redis.NewClient(&redis.Options{Addr: r.DataAddrs()[1], Password: r.Spec.Password})
	defer replica.Close()
	if err := replica.ConfigRewrite(ctx).Err(); err != nil {
		t.Errorf("CONFIG REWRITE on a replica: %v", err)
	}
}

// checkReplicasHandedOut asserts, right after up, that every sentinel
// hands out every replica as usable (what go-redis's ReplicaOnly and
// redis-py's slave_for read from).
func checkReplicasHandedOut(t *testing.T, r *Result) {
	t.Helper()
	ctx := context.Background()
	for _, addr := range r.SentinelAddrs() {
		sc := sentinelClient(r, addr)
		replicas, err := sc.Replicas(ctx, r.MasterName()).Result()
		sc.Close()
		if err != nil {
			t.Fatalf("SENTINEL REPLICAS on %s: %v", addr, err)
		}
		usable := 0
		for _, rep := range replicas {
			if !strings.Contains(rep["flags"], "down") && !strings.Contains(rep["flags"], "disconnected") {
				usable++
			}
		}
		if usable != r.Spec.Replicas {
			t.Fatalf("sentinel %s hands out %d usable replicas right after up, want %d: %v", addr, usable, r.Spec.Replicas, replicas)
		}
	}
}

// TestIntegrationSentinelLocked: a group with --memory and --cpus comes up
// healthy with every data node and sentinel locked down (read-only root,
// no capabilities, pids limit, the limits): sentinels still rewrite
// sentinel.conf, replicas CONFIG REWRITE, and maxmemory is 75% of --memory.
func TestIntegrationSentinelLocked(t *testing.T) {
	const mem, cpus = 128 << 20, 1_000_000_000
	s, o, res := upTest(t, "sentinel-lock", func(s *spec.Spec) { s.Memory, s.CPUs = "128m", "1" })
	if n := testutil.AssertLocked(t, o.Docker, s.Name, mem, cpus); n != 6 {
		t.Fatalf("checked %d containers, want 6 (3 data nodes, 3 sentinels)", n)
	}
	checkStatus(t, s.Name, o, 2, 3)
	checkConfigRewrite(t, o.Docker, res)
	rdb := failoverClient(res)
	defer rdb.Close()
	writeRead(t, rdb, "k", 200)
	master := redis.NewClient(&redis.Options{Addr: res.DataAddrs()[0], Password: res.Spec.Password})
	defer master.Close()
	if got := master.ConfigGet(context.Background(), "maxmemory").Val()["maxmemory"]; got != strconv.Itoa(mem*75/100) {
		t.Errorf("maxmemory %q, want %d (75%% of --memory 128m)", got, mem*75/100)
	}
}

// TestIntegrationSentinelUpInterrupted sends SIGINT to `redis-dock up
// --mode sentinel` (the built binary) once its first container exists: it
// must exit 130, say what it removed, and leave nothing labelled.
func TestIntegrationSentinelUpInterrupted(t *testing.T) {
	d := testutil.ParallelDocker(t)
	s, _ := newSpec(t, d, "sigsen", nil)
	p := testutil.StartCLI(t, "up", "--mode", "sentinel", "--name", s.Name, "--port", strconv.Itoa(s.Port))
	first := p.WaitContainer(t, d, s.Name)
	p.AssertUndone(t, d, syscall.SIGINT, s.Name, first)
}

func TestIntegrationSentinelFailover(t *testing.T) {
	s, o, res := upTest(t, "sentinel-failover", nil)
	failoverUnderWrites(t, s, o, res)
}

// TestIntegrationSentinelTLS: with --tls the data nodes and the sentinels
// speak TLS only (a plaintext client gets no answer from either);
// redis-cli --tls --cacert (a foreign client) asks a sentinel for the
// master; every sentinel hands out the replicas (the sentinels reach the
// data nodes over TLS); a killed master fails over (TLS replication), no
// acknowledged write lost, and the old master rejoins.
func TestIntegrationSentinelTLS(t *testing.T) {
	ctx := context.Background()
	s, o, res := upTest(t, "sentinel-tls", func(s *spec.Spec) { s.TLS = true })
	if res.TLS == nil {
		t.Fatal("up --tls gave no TLS material")
	}
	for _, addr := range []string{res.DataAddrs()[0], res.SentinelAddrs()[0]} {
		plain := redis.NewClient(&redis.Options{Addr: addr, Password: res.Spec.Password, MaxRetries: -1, DialTimeout: time.Second, ReadTimeout: 2 * time.Second})
		if err := plain.Ping(ctx).Err(); err == nil {
			t.Errorf("a plaintext client was answered on %s", addr)
		}
		plain.Close()
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, res.TLS.CACert, 0o600); err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(res.SentinelAddrs()[0])
	cmd := exec.Command("redis-cli", "--no-raw", "--tls", "--cacert", ca, "-h", host, "-p", port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", res.MasterName())
	cmd.Env = append(os.Environ(), "REDISCLI_AUTH="+res.Spec.Password)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), strconv.Itoa(res.Nodes[0].Port)) {
		t.Fatalf("redis-cli --tls --cacert SENTINEL GET-MASTER-ADDR-BY-NAME: %v\n%s", err, out)
	}
	checkReplicasHandedOut(t, res)
	failoverUnderWrites(t, s, o, res)
}

// TestIntegrationSentinelUsers: with --user and --no-default-user, a
// client as the user (through the sentinels) has the user's rights only,
// the default user is refused, no password is in docker inspect, and a
// killed master fails over (the replica follows as masteruser redis-dock,
// the sentinels log in with auth-user) with every acknowledged write kept.
func TestIntegrationSentinelUsers(t *testing.T) {
	ctx := context.Background()
	s, o, res := upTest(t, "sentinel-acl", func(s *spec.Spec) {
		s.Users, s.NoDefaultUser = []string{"app:~app:* +@read +@write -@dangerous"}, true
	})
	pw, ok := res.Spec.UserPassword("app")
	if !ok || pw == "" {
		t.Fatal("no password for user app")
	}
	app := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: res.MasterName(), SentinelAddrs: res.SentinelAddrs(),
		SentinelPassword: res.Spec.Password, Username: "app", Password: pw, DialTimeout: time.Second})
	defer app.Close()
	for i := range 50 {
		if err := app.Set(ctx, fmt.Sprintf("app:%d", i), i, 0).Err(); err != nil {
			t.Fatalf("app SET app:%d: %v", i, err)
		}
	}
	for what, err := range map[string]error{"SET other": app.Set(ctx, "other", "v", 0).Err(), "FLUSHALL": app.FlushAll(ctx).Err()} {
		if err == nil || !strings.HasPrefix(err.Error(), "NOPERM") {
			t.Errorf("app %s = %v, want NOPERM", what, err)
		}
	}
	def := redis.NewClient(&redis.Options{Addr: res.DataAddrs()[0], MaxRetries: -1, DisableIdentity: true})
	defer def.Close()
	if err := def.Do(ctx, "AUTH", "default", res.Spec.Password).Err(); err == nil {
		t.Error("AUTH default succeeded on a data node with --no-default-user")
	}
	testutil.AssertNoPasswordInInspect(t, o.Docker, s.Name, pw)
	testutil.AssertNoPasswordInInspect(t, o.Docker, s.Name, res.Spec.Password)
	failoverUnderWrites(t, s, o, res)
}

// failoverUnderWrites kills the master under a writer that counts what
// the replicas acknowledged (at least minAckedOnKilled on that master),
// waits until every sentinel hands out a new master and the client
// writes through it, and checks every acknowledged write and the old
// master's rejoin.
func failoverUnderWrites(t *testing.T, s spec.Spec, o provision.Options, res *Result) {
	t.Helper()
	ctx := context.Background()
	rdb := failoverClient(res)
	defer rdb.Close()
	old, err := Master(ctx, s.Name, o)
	if err != nil {
		t.Fatal(err)
	}
	w := &testutil.AckWriter{Master: func(context.Context, string) (*redis.Client, error) { return rdb, nil }}
	stop := w.Start(ctx)
	w.WaitAcked(t, old.Port, minAckedOnKilled) // writes that landed on the master about to crash

	killed := time.Now()
	if err := o.Docker.Kill(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	promoted := waitForNewMaster(t, res, old.Port)
	switched := time.Since(killed)
	served := waitForWrite(t, rdb) // the client keeps working after the switch
	writable := time.Since(killed)
	time.Sleep(500 * time.Millisecond) // acknowledged writes after the switch too
	stop()
	acked := w.Acked(t, old.Port, minAckedOnKilled)
	t.Logf("killed %s; sentinels handed out %s after %s; the client wrote through it after %s; %d writes acknowledged (%d on %s), %d failed during the switch",
		old.Name, promoted, switched.Round(time.Millisecond), writable.Round(time.Millisecond), len(acked), w.AckedOn(old.Port), old.Name, w.Fails())
	if !served {
		t.Fatal("the failover client never wrote again after the switch")
	}
	checkAcked(t, res, acked)
	checkRejoin(t, o.Docker, res, old)
}

// minAckedOnKilled is how many writes a replica must have acknowledged on
// the master the test kills, before the kill.
const minAckedOnKilled = 100

// waitForNewMaster waits until every sentinel hands out a master on
// another port than the killed one and returns that address.
func waitForNewMaster(t *testing.T, r *Result, killedPort int) string {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		agreed := ""
		for _, addr := range r.SentinelAddrs() {
			sc := sentinelClient(r, addr)
			got, err := sc.GetMasterAddrByName(ctx, r.MasterName()).Result()
			sc.Close()
			if err != nil || len(got) != 2 || got[1] == fmt.Sprint(killedPort) || (agreed != "" && agreed != got[0]+":"+got[1]) {
				agreed = "-"
				break
			}
			agreed = got[0] + ":" + got[1]
		}
		if agreed != "-" {
			return agreed
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the sentinels did not agree on a new master within a minute")
	return ""
}

// waitForWrite retries one write through the client for up to 30 s.
func waitForWrite(t *testing.T, rdb *redis.Client) bool {
	t.Helper()
	ctx := context.Background()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err := rdb.Set(ctx, "after-switch", "1", 0).Err(); err == nil {
			return true
		}
	}
	return false
}

// checkAcked reads every acknowledged write back through a fresh client.
func checkAcked(t *testing.T, r *Result, acked map[string]string) {
	t.Helper()
	rdb := failoverClient(r)
	defer rdb.Close()
	testutil.CheckAcked(t, rdb, acked)
}

// checkRejoin starts the killed master again and waits for the sentinels
// to turn it into a replica of the new master; the new master's config
// (rewritten by CONFIG REWRITE on the sentinels' order) has no replicaof.
func checkRejoin(t *testing.T, d *docker.Client, r *Result, old docker.Container) {
	t.Helper()
	ctx := context.Background()
	o := provision.Options{Docker: d}
	if err := d.Start(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := WaitHealthy(ctx, r.Spec.Name, time.Minute, o); err != nil {
		t.Fatal(err)
	}
	st, err := GetStatus(ctx, r.Spec.Name, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s rejoined after %s; master is now %s", old.Name, time.Since(began).Round(time.Millisecond), st.Master)
	for _, n := range st.Nodes {
		if n.Name == old.Name && (n.Role != "replica" || n.Follows != st.Master || n.Link != "up") {
			t.Errorf("old master %s rejoined as %s of %q (link %s), want replica of %s", old.Name, n.Role, n.Follows, n.Link, st.Master)
		}
	}
	master, err := Master(ctx, r.Spec.Name, o)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := d.ReadFile(ctx, master.ID, cluster.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	if args, ok := templates.Directive(conf, "replicaof"); ok {
		t.Errorf("the promoted master's redis.conf still says replicaof %s", strings.Join(args, " "))
	}
}
