package clitest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// statusJSON is the part of `status --json` a script relies on.
type statusJSON struct {
	Name    string `json:"name"`
	Healthy bool   `json:"healthy"`
	Nodes   []struct {
		Name      string `json:"name"`
		Port      int    `json:"port"`
		Container string `json:"container"`
		Role      string `json:"role"`
		SlotCount int    `json:"slotCount"`
	} `json:"nodes"`
	OpenSlots []string `json:"openSlots"`
	Problems  []string `json:"problems"`
}

func (s statusJSON) ports(role string) []int {
	var out []int
	for _, n := range s.Nodes {
		if n.Role == role {
			out = append(out, n.Port)
		}
	}
	return out
}

// TestIntegrationCLILifecycle drives one cluster through every day-to-day
// command of the built binary, checking output, exit codes and, with a
// go-redis client, that the cluster does what the output says.
func TestIntegrationCLILifecycle(t *testing.T) {
	d, name, port := newCluster(t, "cli", 8) // 3x1, then 4x1 while scaled
	p := strconv.Itoa(port)

	checkUp(t, mustRun(t, "up", "--name", name, "--port", p, "--masters", "3", "--replicas", "1", "--node-timeout", "3000"), name, port)
	st := checkHealthy(t, name, 3, 3)
	if r := mustRun(t, "status", "--name", name); !strings.Contains(r.stdout, "State: healthy") {
		t.Fatalf("status: want \"State: healthy\":\n%s", r)
	}
	checkListed(t, name)
	pw := checkPassword(t, name, port)

	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"localhost:" + p}, Password: pw})
	defer rdb.Close()
	const keys = 3000
	testutil.WriteRead(t, rdb, "cli", keys)

	checkScale(t, name, port, pw, 4, keys)
	checkScale(t, name, port, pw, 3, keys)
	if r := mustRun(t, "rebalance", "--name", name); !strings.Contains(r.stdout, "is balanced over 3 masters; nothing moved") {
		t.Fatalf("rebalance of a balanced cluster: want nothing moved:\n%s", r)
	}

	st = checkHealthy(t, name, 3, 3)
	checkFailover(t, name, st.ports("replica")[0])
	checkHeal(t, d, name, port, pw)
	checkFaultAndWait(t, name, pw)
	fresh := newClient(port, pw)
	defer fresh.Close()
	testutil.CheckKeys(t, fresh, "cli", keys)
	checkDown(t, d, name)
}

// newCluster names a cluster for a test (prefix and a unique part) and
// finds it n free ports; whatever carries the name is removed when the
// test ends.
func newCluster(t *testing.T, prefix string, n int) (d *docker.Client, name string, port int) {
	d = testutil.ParallelDocker(t)
	name = testutil.UniqueName(prefix)
	port = testutil.FreePortRange(t, n)
	testutil.RemoveOnCleanup(t, d, name)
	return d, name, port
}

func newClient(port int, pw string) *redis.ClusterClient {
	return redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"localhost:" + strconv.Itoa(port)}, Password: pw})
}

// checkUp asserts up's status lines (stderr) and summary (stdout).
func checkUp(t *testing.T, r result, name string, port int) {
	t.Helper()
	if n := strings.Count(r.stderr, "✓"); n < 3 || strings.Contains(r.stderr, "✗") {
		t.Errorf("up: want at least 3 ✓ status lines and no ✗ on stderr, got %d:\n%s", n, r)
	}
	for _, want := range []string{
		`Cluster "` + name + `" is healthy: 3 masters, 3 replicas`,
		"Try it",
		"redis-dock password --name " + name,
		"redis-cli -c -p " + strconv.Itoa(port),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("up: stdout lacks %q:\n%s", want, r)
		}
	}
}

// status runs `status --json` and parses it, whatever the exit code.
func status(t *testing.T, name string) (statusJSON, result) {
	t.Helper()
	r := run(t, nil, "status", "--name", name, "--json")
	var st statusJSON
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status --json does not parse: %v\n%s", err, r)
	}
	return st, r
}

// checkHealthy asserts status --json exits 0, says healthy, and shows the
// masters (with every slot) and replicas wanted.
func checkHealthy(t *testing.T, name string, masters, replicas int) statusJSON {
	t.Helper()
	st, r := status(t, name)
	if r.code != 0 || !st.Healthy || st.Name != name {
		t.Fatalf("status --json: want exit 0 and healthy, got\n%s", r)
	}
	slots := 0
	for _, n := range st.Nodes {
		slots += n.SlotCount
	}
	if m, rs := len(st.ports("master")), len(st.ports("replica")); m != masters || rs != replicas || slots != 16384 {
		t.Fatalf("status --json: %d masters, %d replicas, %d slots; want %d, %d, 16384\n%s", m, rs, slots, masters, replicas, r)
	}
	return st
}

func checkListed(t *testing.T, name string) {
	t.Helper()
	r := mustRun(t, "list")
	for _, line := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			if !strings.Contains(line, "6/6 running") || !strings.HasSuffix(line, "healthy") || strings.HasSuffix(line, "unhealthy") {
				t.Fatalf("list: want %s with 6/6 running, healthy: %q", name, line)
			}
			return
		}
	}
	t.Fatalf("list does not show %s:\n%s", name, r)
}

// checkPassword asserts `password` prints the one password the nodes
// accept: a client with it works, a client without it is refused.
func checkPassword(t *testing.T, name string, port int) string {
	t.Helper()
	r := mustRun(t, "password", "--name", name)
	pw := strings.TrimSuffix(r.stdout, "\n")
	if pw == "" || strings.Contains(pw, "\n") {
		t.Fatalf("password: want one line, got %q", r.stdout)
	}
	ctx := context.Background()
	good := newClient(port, pw)
	defer good.Close()
	if err := good.Set(ctx, "cli:auth", "ok", 0).Err(); err != nil {
		t.Fatalf("a client with the printed password: %v", err)
	}
	bad := redis.NewClient(&redis.Options{Addr: "localhost:" + strconv.Itoa(port), Password: pw + "x"})
	defer bad.Close()
	if err := bad.Ping(ctx).Err(); err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
		t.Fatalf("a client with a wrong password: want WRONGPASS, got %v", err)
	}
	return pw
}

// checkScale scales to masters, then asserts the shape and every key.
func checkScale(t *testing.T, name string, port int, pw string, masters, keys int) {
	t.Helper()
	r := mustRun(t, "scale", "--name", name, "--masters", strconv.Itoa(masters), "--linger", "0")
	if want := `Cluster "` + name + `" has ` + strconv.Itoa(masters) + " masters"; !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "Moved ") {
		t.Fatalf("scale: want %q and a Moved line:\n%s", want, r)
	}
	st := checkHealthy(t, name, masters, masters)
	for _, n := range st.Nodes {
		if n.Role == "master" && (n.SlotCount < 16384/masters-1 || n.SlotCount > 16384/masters+1) {
			t.Fatalf("after scale to %d masters, %s owns %d slots", masters, n.Name, n.SlotCount)
		}
	}
	rdb := newClient(port, pw)
	defer rdb.Close()
	testutil.CheckKeys(t, rdb, "cli", keys)
}

// checkFailover promotes the replica on port and asserts it is master.
func checkFailover(t *testing.T, name string, port int) {
	t.Helper()
	r := mustRun(t, "failover", "--name", name, strconv.Itoa(port))
	if !strings.Contains(r.stdout, "is master of") {
		t.Fatalf("failover: want \"is master of\":\n%s", r)
	}
	st := checkHealthy(t, name, 3, 3)
	for _, n := range st.Nodes {
		if n.Port == port && (n.Role != "master" || n.SlotCount == 0) {
			t.Fatalf("after failover %d: it is %s with %d slots", port, n.Role, n.SlotCount)
		}
	}
}

// checkDown removes the cluster and asserts nothing is left, twice.
func checkDown(t *testing.T, d *docker.Client, name string) {
	t.Helper()
	r := mustRun(t, "down", "--name", name, "--volumes")
	// each node has its data volume and its config volume (the root
	// filesystem is read-only)
	if !strings.Contains(r.stdout, "Removed 6 containers") || !strings.Contains(r.stdout, " 12 volumes ") {
		t.Fatalf("down: want 6 containers and 12 volumes (data and config of each node) removed:\n%s", r)
	}
	testutil.AssertNothingLeft(t, d, name)
	if r := mustRun(t, "down", "--name", name, "--volumes"); !strings.Contains(r.stdout, "Removed 0 containers") {
		t.Fatalf("second down: want nothing removed:\n%s", r)
	}
	if r := mustRun(t, "list"); strings.Contains(r.stdout, name) {
		t.Fatalf("list still shows %s after down:\n%s", name, r)
	}
}

// TestIntegrationCLITLS: `up --tls` prints how to get the CA, `tls ca`
// writes it, redis-cli --tls --cacert (a foreign client) uses it, and
// status says the nodes speak TLS only.
func TestIntegrationCLITLS(t *testing.T) {
	_, name, port := newCluster(t, "clitls", 3)
	p := strconv.Itoa(port)

	r := mustRun(t, "up", "--name", name, "--port", p, "--replicas", "0", "--tls")
	if want := "redis-cli --tls --cacert " + name + "-ca.pem -c -p " + p; !strings.Contains(r.stdout, want) {
		t.Fatalf("up --tls: want the try-it line %q:\n%s", want, r)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	mustRun(t, "tls", "ca", "--name", name, "--out", ca)
	if pem, err := os.ReadFile(ca); err != nil || !strings.HasPrefix(string(pem), "-----BEGIN CERTIFICATE-----") {
		t.Fatalf("tls ca --out: %q, %v", pem, err)
	}
	if r := mustRun(t, "status", "--name", name); !strings.Contains(r.stdout, "TLS only") || !strings.Contains(r.stdout, "State: healthy") {
		t.Fatalf("status of a TLS cluster:\n%s", r)
	}
	pw := strings.TrimSpace(mustRun(t, "password", "--name", name).stdout)
	cmd := exec.Command("redis-cli", "--tls", "--cacert", ca, "-c", "-p", p, "SET", "greeting", "hello")
	cmd.Env = append(os.Environ(), "REDISCLI_AUTH="+pw)
	if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "OK" {
		t.Fatalf("redis-cli --tls --cacert SET: %v\n%s", err, out)
	}
	if r := run(t, nil, "tls", "client", "--name", name, "--dir", t.TempDir()); r.code == 0 || !strings.Contains(r.stderr, "--tls-client-auth") {
		t.Fatalf("tls client of a cluster without client auth: want an error naming --tls-client-auth:\n%s", r)
	}
	mustRun(t, "down", "--name", name, "--volumes")
}

// TestIntegrationCLIUsers: `up --user ... --no-default-user`, then
// `password --user` prints the user's password, which redis-cli (a
// foreign client) logs in with and gets the user's rights only; an
// unknown user is an error naming it; `password` alone is the admin's.
func TestIntegrationCLIUsers(t *testing.T) {
	_, name, port := newCluster(t, "cliusers", 3)
	p := strconv.Itoa(port)

	mustRun(t, "up", "--name", name, "--port", p, "--replicas", "0",
		"--user", "app:~app:* +@read +@write -@dangerous", "--no-default-user")
	r := mustRun(t, "password", "--name", name, "--user", "app")
	pw := strings.TrimSpace(r.stdout)
	if pw == "" || strings.Contains(pw, "\n") {
		t.Fatalf("password --user app: want one line, got %q", r.stdout)
	}
	cli := func(user, pass string, args ...string) string {
		cmd := exec.Command("redis-cli", append([]string{"-c", "-p", p, "--user", user}, args...)...)
		cmd.Env = append(os.Environ(), "REDISCLI_AUTH="+pass)
		out, _ := cmd.CombinedOutput()
		return strings.TrimSpace(string(out))
	}
	for i := range 20 { // keys over every master: redis-cli -c follows MOVED as app
		if out := cli("app", pw, "SET", "app:"+strconv.Itoa(i), "v"); out != "OK" {
			t.Fatalf("redis-cli as app SET app:%d: %q", i, out)
		}
	}
	for _, args := range [][]string{{"SET", "other", "v"}, {"FLUSHALL"}} {
		if out := cli("app", pw, args...); !strings.Contains(out, "NOPERM") {
			t.Errorf("redis-cli as app %v: %q, want NOPERM", args, out)
		}
	}
	if out := cli("app", pw+"x", "PING"); !strings.Contains(out, "WRONGPASS") {
		t.Errorf("redis-cli as app with a wrong password: %q, want WRONGPASS", out)
	}
	admin := strings.TrimSpace(mustRun(t, "password", "--name", name).stdout)
	if out := cli("default", admin, "PING"); out == "PONG" {
		t.Error("the default user logged in with --no-default-user")
	}
	if out := cli("redis-dock", admin, "DBSIZE"); out == "" || strings.Contains(out, "ERR") || strings.Contains(out, "NOPERM") {
		t.Errorf("redis-cli as redis-dock with `password`'s password: %q", out)
	}
	if r := run(t, nil, "password", "--name", name, "--user", "nobody"); r.code == 0 || !strings.Contains(r.stderr, "nobody") {
		t.Errorf("password --user nobody: want an error naming the user:\n%s", r)
	}
	mustRun(t, "down", "--name", name, "--volumes")
}
