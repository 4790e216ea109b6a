package cluster

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/acl"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

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
