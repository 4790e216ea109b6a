package swarm

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

const keys = 10000

// stackTest is one deployed stack under test.
type stackTest struct {
	t    *testing.T
	d    *docker.Client
	plan *stackplan.Plan
	refs refs
	pw   string
	ca   []byte // the CA's certificate of a TLS stack
	full []byte // the host build, for the go-redis witness
}

// TestIntegrationStackDeploy renders a 3x1 stack and deploys it with
// nothing but `docker stack deploy`; then, on the overlay, 10,000 keys
// are written (node image's check) and read back (go-redis); a node's
// service is force-updated (new task, new address) and the cluster heals
// with the same node IDs and every key; a master's container is killed
// and its replica takes over.
func TestIntegrationStackDeploy(t *testing.T) {
	d := needSwarm(t)
	st := deployStack(t, d, dockerCLI(t))
	before := st.check(2*time.Minute, "--write-keys", fmt.Sprint(keys), "--prefix", "k")
	st.witness()
	st.forceUpdate(before, "node-7001")
	st.killMaster()
}

// deployStack renders a 3x1 stack (with what mods change in the
// spec), deploys it with `docker stack deploy` and finds it again.
func deployStack(t *testing.T, d *docker.Client, cli string, mods ...func(*spec.Spec)) *stackTest {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := spec.Default()
	s.Name, s.NodeTimeout, s.Image = testutil.UniqueName("swt"), 2000, testutil.PinNodeImage(t, d)
	for _, m := range mods {
		m(&s)
	}
	t.Cleanup(func() { down(t, d, s.Name) })
	u := &upRun{o: Options{Docker: d, Logger: testLogger(t)}, log: testLogger(t)}
	if err := u.prepare(ctx, &s); err != nil { // free subnet, password, image
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := WriteFiles(u.plan, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	yml, err := Render(u.plan, files, Placement{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(yml, []byte(u.plan.Spec.Password)) {
		t.Fatal("the stack file contains the password")
	}
	stackFile := filepath.Join(dir, "stack.yml")
	writeFile(t, stackFile, yml)
	out, err := exec.CommandContext(ctx, cli, "stack", "deploy", "--resolve-image", "never", "-c", stackFile, s.Name).CombinedOutput()
	if err != nil {
		t.Fatalf("docker stack deploy: %v\n%s", err, out)
	}
	_, p, r, err := findStack(ctx, d, s.Name, "")
	if err != nil {
		t.Fatal(err)
	}
	return &stackTest{t: t, d: d, plan: p, refs: r, pw: u.plan.Spec.Password, full: testutil.ReadStaticBinary(t, "../cmd/redis-dock")}
}

// check runs the node image's `redis-dock check` as a job on the overlay.
func (st *stackTest) check(wait time.Duration, extra ...string) nodeagent.Report {
	st.t.Helper()
	rep, err := runCheck(context.Background(), st.d, st.plan, st.refs, wait, extra...)
	if err != nil {
		st.t.Fatalf("check %v: %v", extra, err)
	}
	return rep
}

// witness reads every key back through go-redis's cluster client, from
// a plain container attached to the overlay.
func (st *stackTest) witness() {
	st.t.Helper()
	if st.plan.Spec.TLS {
		// go-redis checks a node's certificate for the address it dials,
		// and a stack's certificates name services, not task addresses.
		st.t.Log("go-redis witness skipped on a TLS stack; the node image's check read the keys")
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Both files in a directory of their own, owned by the redis user:
	// the copy gives the directory its files' owner.
	const dir = "/run/witness/"
	cmd := st.plan.CheckCommand("--verify-keys", fmt.Sprint(keys), "--prefix", "k", "--wait", "1m", "--password-file", dir+"password")
	cmd[0] = dir + "redis-dock"
	res, err := st.d.RunHelper(ctx, docker.Helper{
		Name: st.plan.Spec.Name + "-witness", Image: st.plan.Spec.Image, Cmd: cmd, Network: st.refs.networkName,
		Labels: map[string]string{docker.LabelCluster: st.plan.Spec.Name, docker.LabelRole: "witness"},
		Files: []docker.File{
			{Path: dir + "redis-dock", Mode: 0o500, UID: stackplan.RedisUID, GID: stackplan.RedisUID, Data: st.full},
			{Path: dir + "password", Mode: 0o400, UID: stackplan.RedisUID, GID: stackplan.RedisUID, Data: []byte(st.pw + "\n")},
		},
	})
	if err != nil || res.ExitCode != 0 || !strings.Contains(string(res.Stdout), `"verified": 10000`) {
		st.t.Fatalf("go-redis witness: exit %d, err %v\n%s\n%s", res.ExitCode, err, res.Stdout, res.Stderr)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := osWriteFile(path, data); err != nil {
		t.Fatal(err)
	}
}

func down(t *testing.T, d *docker.Client, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := d.RemoveStack(ctx, name, true); err != nil {
		t.Errorf("cleanup of %s: %v", name, err)
	}
	testutil.AssertNothingLeft(t, d, name)
}

// forceUpdate replaces the task of service short, as `docker service
// update --force` does, and waits until the node answers at a new
// address; the cluster must be healthy with the same IDs and all keys.
func (st *stackTest) forceUpdate(before nodeagent.Report, short string) {
	st.t.Helper()
	old := byName(before)[short]
	if err := st.d.ForceUpdate(context.Background(), serviceName(st.plan.Spec.Name, short)); err != nil {
		st.t.Fatal(err)
	}
	after := st.waitFor(func(r nodeagent.Report) bool { return byName(r)[short].Addr != old.Addr })
	for name, n := range byName(before) {
		if got := byName(after)[name]; got.ID != n.ID {
			st.t.Errorf("%s has ID %s after the update, had %s", name, got.ID, n.ID)
		}
	}
	st.t.Logf("%s moved from %s to %s, ID %s kept", short, old.Addr, byName(after)[short].Addr, old.ID)
	st.check(time.Minute, "--verify-keys", fmt.Sprint(keys), "--prefix", "k")
	st.witness()
}

// killMaster kills a master task's container (a crash): its replica must
// take over, and the old master come back (new task) as a replica.
func (st *stackTest) killMaster() {
	st.t.Helper()
	rep := st.check(time.Minute)
	var master, replica nodeagent.NodeReport
	for _, n := range rep.Nodes {
		if n.Role == "master" && master.ID == "" {
			master = n
		}
	}
	for _, n := range rep.Nodes {
		if n.Master == master.ID {
			replica = n
		}
	}
	cts, err := st.d.ServiceContainers(context.Background(), serviceName(st.plan.Spec.Name, master.Name))
	if err != nil || len(cts) == 0 {
		st.t.Fatalf("containers of %s: %v, %v", master.Name, cts, err)
	}
	for _, c := range cts {
		if c.Running() {
			if err := st.d.Kill(context.Background(), c.ID); err != nil {
				st.t.Fatal(err)
			}
		}
	}
	after := st.waitFor(func(r nodeagent.Report) bool {
		n := byName(r)
		return n[replica.Name].Role == "master" && n[master.Name].Role == "replica" && n[master.Name].Master == replica.ID
	})
	st.t.Logf("killed master %s: %s took over; %s came back at %s as its replica",
		master.Name, replica.Name, master.Name, byName(after)[master.Name].Addr)
	st.check(time.Minute, "--verify-keys", fmt.Sprint(keys), "--prefix", "k")
}

// waitFor checks the cluster until it is healthy and ok says the report
// shows what the test waits for.
func (st *stackTest) waitFor(ok func(nodeagent.Report) bool) nodeagent.Report {
	st.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	var last error
	for time.Now().Before(deadline) {
		rep, err := runCheck(context.Background(), st.d, st.plan, st.refs, 20*time.Second)
		if err == nil && ok(rep) {
			return rep
		}
		last = err
		time.Sleep(time.Second)
	}
	st.t.Fatalf("the cluster did not get there within 3 minutes (last: %v)", last)
	return nodeagent.Report{}
}

func byName(r nodeagent.Report) map[string]nodeagent.NodeReport {
	out := map[string]nodeagent.NodeReport{}
	for _, n := range r.Nodes {
		out[n.Name] = n
	}
	return out
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func testLogger(t *testing.T) *status.Logger { return status.NewLogger(testWriter{t}, 1, false) }

func osWriteFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }
