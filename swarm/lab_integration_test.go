package swarm

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/lab"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

const labKeys = 600

// labTest is a 3x1 cluster deployed by `swarm up` on a 3-host lab.
type labTest struct {
	t       *testing.T
	lab     string
	o       lab.Options
	mgr     *docker.Client // the lab's swarm manager
	mgrHost string
	plan    *stackplan.Plan
	refs    refs
	pw      string
	probe   []byte // testdata/labprobe, built
	image   string
	runs    int
}

// TestIntegrationLabHostLoss proves the Swarm path across hosts: on a
// 3-host lab, `swarm up` places every replica on another host than its
// master (read from the tasks' node IDs); keys acknowledged by a replica
// (WAIT 1) are written; the host of a master stops: the cluster serves
// again with that master's replica promoted and every key readable; the
// host starts again: the same node IDs come back, the old master as a
// replica, and `swarm status`'s check finds the cluster healthy.
//
// The lab is the only one the swarm tests start: `swarm up --encrypted`
// against its manager (TestIntegrationSwarmEncrypted) runs first on it.
func TestIntegrationLabHostLoss(t *testing.T) {
	lt := upLab(t)
	t.Run("encrypted", func(t *testing.T) { checkEncryptedUp(t, lt.mgr, lt.image) })
	before := lt.deploy()
	pairs := lt.checkPlacement(before)

	counts := lt.writeKeys()
	victim, replica, host := lt.pickVictim(before, pairs)
	if counts[portOf(victim.Addr)] == 0 {
		t.Fatalf("no acknowledged key on the master %s that will be lost (%v)", victim.Name, counts)
	}
	t.Logf("%d keys acknowledged by a replica, %d on %s", labKeys, counts[portOf(victim.Addr)], victim.Name)

	lt.watchTasks()
	begin := time.Now()
	lt.t.Logf("stopping %s at %s", host, begin.Format("15:04:05.000"))
	if err := lab.Stop(context.Background(), lt.lab, host, 0, lt.o); err != nil {
		t.Fatal(err)
	}
	lt.checkHostState(host, "exited")
	lt.waitPromoted(replica.ID)
	t.Logf("host %s stopped: %s (replica of %s) is master and the cluster serves again after %s", host, replica.Name, victim.Name, time.Since(begin).Round(time.Second))
	lt.readKeys()
	lt.waitNodeDown(host) // the status names the host once Swarm sees it down, which may come after the failover
	lt.checkLostNamed(host, victim.Name, replica.Name)

	begin = time.Now()
	lt.t.Logf("starting %s at %s", host, begin.Format("15:04:05.000"))
	if err := lab.Start(context.Background(), lt.lab, host, lt.o); err != nil {
		t.Fatal(err)
	}
	rejoined := func(r nodeagent.Report) bool {
		n := byName(r)[victim.Name]
		return n.ID == victim.ID && n.Role == "replica" && n.Master == replica.ID
	}
	lt.stack().waitFor(rejoined)
	t.Logf("host %s back: %s rejoined as a replica of %s, healthy after %s", host, victim.Name, replica.Name, time.Since(begin).Round(time.Second))
	// Healthy once is not yet settled: the returned host's old tasks are
	// replaced (new containers, new overlay addresses) and stragglers may
	// still report. Wait until Swarm has nothing left to change, then
	// judge the cluster as a client sees it, every key included.
	lt.waitSettled()
	lt.t.Logf("settled %s after the host started; checking every key at %s", time.Since(begin).Round(time.Second), time.Now().Format("15:04:05.000"))
	after := lt.stack().check(time.Minute, "--verify-keys", fmt.Sprint(labKeys), "--prefix", "lab")
	if !rejoined(after) {
		t.Fatalf("once settled, %s is not the replica of %s with node ID %s: %+v", victim.Name, replica.Name, victim.ID, after.Nodes)
	}
	for name, n := range byName(before) {
		if got := byName(after)[name]; got.ID != n.ID {
			t.Errorf("%s has node ID %s after the host returned, had %s", name, got.ID, n.ID)
		}
	}
	lt.checkPlacement(after)

	lt.evacuate(host, after)
}

// evacuate stops host again, for good this time, and evacuates it: its
// nodes run elsewhere with new IDs, every master has its replica on
// another host, and every key is there.
func (lt *labTest) evacuate(host string, before nodeagent.Report) {
	lt.t.Helper()
	ctx := context.Background()
	if err := lab.Stop(ctx, lt.lab, host, 0, lt.o); err != nil {
		lt.t.Fatal(err)
	}
	lt.waitNodeDown(host)
	begin := time.Now()
	res, err := Evacuate(ctx, lt.plan.Spec.Name, host, 2*time.Minute, Options{Docker: lt.mgr, Logger: testLogger(lt.t)})
	if err != nil {
		lt.t.Fatal(err)
	}
	lt.t.Logf("evacuated %s in %s: %v %v", host, time.Since(begin).Round(time.Second), res.Moved, res.Warnings)
	if len(res.Moved) != 2 || len(res.Warnings) != 0 || !res.Report.Healthy {
		lt.t.Fatalf("evacuation: %+v", res)
	}
	for name := range res.Moved {
		lt.t.Logf("%s was %s, now %s", name, byName(before)[name].Addr, byName(res.Report)[name].Addr)
		if byName(res.Report)[name].ID == byName(before)[name].ID {
			lt.t.Errorf("%s kept its node ID %s: it should start with a fresh volume", name, byName(before)[name].ID)
		}
	}
	replicas := map[string]int{}
	for _, n := range res.Report.Nodes {
		if n.Role == "replica" {
			replicas[n.Master]++
		}
	}
	for _, n := range res.Report.Nodes {
		if n.Role == "master" && replicas[n.ID] != 1 {
			lt.t.Errorf("master %s has %d replicas after the evacuation, want 1 (%+v)", n.Name, replicas[n.ID], res.Report.Nodes)
		}
	}
	lt.checkPlacement(res.Report)
	lt.stack().check(time.Minute, "--verify-keys", fmt.Sprint(labKeys), "--prefix", "lab")
}

// waitNodeDown waits until the swarm sees host as down.
func (lt *labTest) waitNodeDown(host string) {
	lt.t.Helper()
	for try := 0; try < 120; try++ {
		members, err := lt.mgr.SwarmMembers(context.Background())
		for _, m := range members {
			if err == nil && m.Hostname == host && m.State == "down" {
				return
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	lt.t.Fatalf("the swarm did not see %s go down within a minute", host)
}

// waitSettled waits until Swarm has converged on the cluster's services
// (docker.Client.Unsettled says nothing).
func (lt *labTest) waitSettled() {
	lt.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	var last []string
	for time.Now().Before(deadline) {
		why, err := lt.mgr.Unsettled(context.Background(), lt.plan.Spec.Name)
		if err == nil && len(why) == 0 {
			return
		}
		if err != nil {
			why = []string{err.Error()}
		}
		if strings.Join(why, "") != strings.Join(last, "") {
			lt.t.Logf("not settled: %s", strings.Join(why, "; "))
		}
		last = why
		time.Sleep(time.Second)
	}
	lt.t.Fatalf("the services did not settle within 3 minutes: %s", strings.Join(last, "; "))
}

// watchTasks logs every task of the cluster each time it changes (a
// new task, a new state), until the test ends: when a node misbehaves,
// the log says whether Swarm replaced it and when.
func (lt *labTest) watchTasks() {
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		seen := map[string]bool{}
		for {
			lines, err := lt.mgr.TaskHistory(context.Background(), lt.plan.Spec.Name)
			for _, l := range lines {
				if err == nil && !seen[l] {
					seen[l] = true
					lt.t.Logf("task at %s: %s", time.Now().Format("15:04:05.000"), l)
				}
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Second):
			}
		}
	}()
	lt.t.Cleanup(func() { close(stop); <-done })
}

// startLab starts a lab of c (named prefix plus random hex) on outer,
// taken down and checked gone when the test ends, and connects to its
// manager's engine.
func startLab(t *testing.T, outer *docker.Client, prefix string, c lab.Config) (string, lab.Options, *lab.Result, *docker.Client) {
	t.Helper()
	c.Name = testutil.UniqueName(prefix)
	o := lab.Options{Docker: outer, Logger: testutil.Logger(t)}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		if _, err := lab.Down(ctx, c.Name, o); err != nil {
			t.Errorf("lab down: %v", err)
		}
		testutil.AssertNothingLeft(t, outer, lab.ClusterLabel(c.Name))
		if _, err := os.Stat(filepath.Join(lab.RunDir, c.Name)); err == nil {
			t.Errorf("lab down left %s", filepath.Join(lab.RunDir, c.Name))
		}
	})
	begin := time.Now()
	res, err := lab.Up(context.Background(), c, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("lab up, %d hosts: %s", c.Hosts, time.Since(begin).Round(100*time.Millisecond))
	mgr, err := docker.NewAt(res.Manager())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mgr.Close() })
	return c.Name, o, res, mgr
}

func upLab(t *testing.T) *labTest {
	t.Helper()
	outer := testutil.Docker(t)
	image := testutil.PinNodeImage(t, outer)
	name, o, res, mgr := startLab(t, outer, "lab", lab.Config{Hosts: 3, Managers: 1, Image: image})
	lt := &labTest{t: t, lab: name, o: o, mgr: mgr, mgrHost: res.Hosts[0].Name, probe: testutil.ReadStaticBinary(t, "./testdata/labprobe"), image: image}
	lt.checkLabStatus()
	return lt
}

// checkLabStatus: three running hosts, one swarm leader, all ready.
func (lt *labTest) checkLabStatus() {
	lt.t.Helper()
	hosts, err := lab.Status(context.Background(), lt.lab, lt.o)
	if err != nil {
		lt.t.Fatal(err)
	}
	leaders := 0
	for _, h := range hosts {
		if h.State != "running" || h.Node != "ready" || h.NodeID == "" {
			lt.t.Errorf("lab status: %+v", h)
		}
		if h.Role == "leader" {
			leaders++
		}
	}
	if len(hosts) != 3 || leaders != 1 {
		lt.t.Fatalf("lab status: %d hosts, %d leaders: %+v", len(hosts), leaders, hosts)
	}
}

func (lt *labTest) checkHostState(host, want string) {
	lt.t.Helper()
	hosts, err := lab.Status(context.Background(), lt.lab, lt.o)
	if err != nil {
		lt.t.Fatal(err)
	}
	for _, h := range hosts {
		if h.Name == lab.ResolveHost(lt.lab, host) && h.State != want {
			lt.t.Fatalf("host %s is %s, want %s", h.Name, h.State, want)
		}
	}
}

// deploy runs `swarm up` against the lab's manager, with a password the
// probe is given.
func (lt *labTest) deploy() nodeagent.Report {
	lt.t.Helper()
	ctx := context.Background()
	s := spec.Default()
	s.Name, s.NodeTimeout, s.Image = testutil.UniqueName("swl"), 2000, lt.image
	s.Password = testutil.UniqueName("pw")
	res, err := Up(ctx, s, Options{Docker: lt.mgr, Logger: testLogger(lt.t)})
	if err != nil {
		lt.t.Fatal(err)
	}
	if len(res.Report.Nodes) != 6 || !res.Report.Healthy {
		lt.t.Fatalf("report %+v", res.Report)
	}
	if _, lt.plan, lt.refs, err = findStack(ctx, lt.mgr, s.Name, ""); err != nil {
		lt.t.Fatal(err)
	}
	lt.pw = s.Password
	lt.t.Cleanup(func() {
		if !lt.t.Failed() {
			return
		}
		lines, err := lt.mgr.TaskHistory(context.Background(), s.Name)
		lt.t.Logf("tasks of %s at %s (%v):\n%s", s.Name, time.Now().Format("15:04:05.000"), err, strings.Join(lines, "\n"))
		lt.t.Logf("last lines of the bootstrap:\n%s", lt.mgr.ServiceLastLog(context.Background(), serviceName(s.Name, "bootstrap"), 30))
	})
	return res.Report
}

// checkPlacement reads the node each task runs on and checks every
// replica runs on another host than its master; it returns the pairs.
func (lt *labTest) checkPlacement(rep nodeagent.Report) map[string]string {
	lt.t.Helper()
	ctx := context.Background()
	host := map[string]string{} // node name -> swarm node ID
	for _, n := range rep.Nodes {
		ids, err := lt.mgr.ServiceNodes(ctx, serviceName(lt.plan.Spec.Name, n.Name))
		if err != nil || len(ids) != 1 {
			lt.t.Fatalf("service of %s runs on nodes %v (%v), want one", n.Name, ids, err)
		}
		host[n.Name] = ids[0]
	}
	byID := map[string]nodeagent.NodeReport{}
	for _, n := range rep.Nodes {
		byID[n.ID] = n
	}
	pairs := map[string]string{} // master name -> replica name
	for _, r := range rep.Nodes {
		if r.Role != "replica" {
			continue
		}
		m, ok := byID[r.Master]
		if !ok {
			lt.t.Fatalf("replica %s follows %s, which is no node of the cluster", r.Name, r.Master)
		}
		if host[r.Name] == host[m.Name] {
			lt.t.Errorf("replica %s runs on the host of its master %s (node %s)", r.Name, m.Name, host[m.Name])
		}
		pairs[m.Name] = r.Name
	}
	if len(pairs) != 3 {
		lt.t.Fatalf("%d master/replica pairs, want 3: %+v", len(pairs), rep.Nodes)
	}
	lt.t.Logf("placement: %v on %v", pairs, host)
	return pairs
}

// pickVictim picks a master on another host than the swarm manager (a
// lost manager would leave no one to place tasks), and its replica.
func (lt *labTest) pickVictim(rep nodeagent.Report, pairs map[string]string) (master, replica nodeagent.NodeReport, host string) {
	lt.t.Helper()
	ctx := context.Background()
	members, err := lt.mgr.SwarmMembers(ctx)
	if err != nil {
		lt.t.Fatal(err)
	}
	hostname := map[string]string{}
	for _, m := range members {
		hostname[m.ID] = m.Hostname
	}
	nodes := byName(rep)
	for mname, rname := range pairs {
		ids, err := lt.mgr.ServiceNodes(ctx, serviceName(lt.plan.Spec.Name, mname))
		if err != nil || len(ids) != 1 {
			lt.t.Fatalf("service of %s runs on %v (%v)", mname, ids, err)
		}
		if h := hostname[ids[0]]; h != lt.mgrHost {
			return nodes[mname], nodes[rname], h
		}
	}
	lt.t.Fatalf("every master runs on the manager host %s: %v", lt.mgrHost, pairs)
	return
}

// runProbe runs testdata/labprobe in a container on the overlay, on the
// manager's host.
func (lt *labTest) runProbe(args ...string) ([]byte, error) {
	lt.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const dir = "/run/probe/"
	var seeds []string
	for _, n := range lt.plan.Nodes {
		seeds = append(seeds, fmt.Sprintf("%s:%d", n.Service, n.Port))
	}
	lt.runs++
	cmd := append([]string{dir + "labprobe"}, args...)
	cmd = append(cmd, "-seeds", strings.Join(seeds, ","), "-password-file", dir+"password")
	res, err := lt.mgr.RunHelper(ctx, docker.Helper{
		Name: fmt.Sprintf("%s-probe-%d", lt.plan.Spec.Name, lt.runs), Image: lt.plan.Spec.Image, Cmd: cmd, Network: lt.refs.networkName,
		Labels: map[string]string{docker.LabelCluster: lt.plan.Spec.Name, docker.LabelRole: "probe"},
		Files: []docker.File{
			{Path: dir + "labprobe", Mode: 0o500, UID: stackplan.RedisUID, GID: stackplan.RedisUID, Data: lt.probe},
			{Path: dir + "password", Mode: 0o400, UID: stackplan.RedisUID, GID: stackplan.RedisUID, Data: []byte(lt.pw + "\n")},
		},
	})
	if err == nil && res.ExitCode != 0 {
		err = fmt.Errorf("labprobe %v: exit %d: %s", args, res.ExitCode, lastLines(res.Stderr, 3))
	}
	return res.Stdout, err
}

// writeKeys writes lab:0..labKeys-1, each acknowledged by a replica, and
// returns how many landed on each master port.
func (lt *labTest) writeKeys() map[string]int {
	lt.t.Helper()
	out, err := lt.runProbe("write", "-n", fmt.Sprint(labKeys), "-prefix", "lab")
	if err != nil {
		lt.t.Fatal(err)
	}
	var r struct {
		Acked  int            `json:"acked"`
		ByPort map[string]int `json:"by_port"`
	}
	if err := json.Unmarshal(out, &r); err != nil || r.Acked != labKeys {
		lt.t.Fatalf("write: %s (%v), want %d acknowledged", out, err, labKeys)
	}
	return r.ByPort
}

// readKeys reads every acknowledged key back through a cluster client.
func (lt *labTest) readKeys() {
	lt.t.Helper()
	var out []byte
	var err error
	for try := 0; try < 10; try++ { // clients may still route to the lost master for a moment
		if out, err = lt.runProbe("read", "-n", fmt.Sprint(labKeys), "-prefix", "lab"); err == nil {
			break
		}
		time.Sleep(time.Second)
	}
	if err != nil || !strings.Contains(string(out), fmt.Sprintf(`"read":%d`, labKeys)) {
		lt.t.Fatalf("read: %s, %v", out, err)
	}
}

type probeNode struct {
	Seed, ID, Role, Master, State string
}

// waitPromoted waits until the node id says it is a master and every
// node that answers says cluster_state:ok.
func (lt *labTest) waitPromoted(id string) {
	lt.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	var last string
	for time.Now().Before(deadline) {
		out, err := lt.runProbe("nodes")
		var nodes []probeNode
		if err == nil && json.Unmarshal(out, &nodes) == nil && promoted(nodes, id) {
			return
		}
		last = fmt.Sprintf("%s %v", out, err)
		time.Sleep(time.Second)
	}
	lt.t.Fatalf("%s was not promoted within 3 minutes (last: %s)", id, last)
}

func promoted(nodes []probeNode, id string) bool {
	ok := false
	for _, n := range nodes {
		if n.State != "ok" {
			return false
		}
		if n.ID == id && n.Role == "master" {
			ok = true
		}
	}
	return ok && len(nodes) == 4 // the two nodes of the stopped host do not resolve
}

// checkLostNamed: while the host is away, status is not healthy but
// serving (the replica took over), and names the services pinned to it
// (the old master's among them), not the promoted replica's.
func (lt *labTest) checkLostNamed(host, lost, kept string) {
	lt.t.Helper()
	st, err := GetStatus(context.Background(), lt.plan.Spec.Name, 5*time.Second, Options{Docker: lt.mgr})
	if err != nil {
		lt.t.Fatal(err)
	}
	svc := serviceName(lt.plan.Spec.Name, lost)
	if st.Healthy || !strings.Contains(st.Problem, svc+" (on "+host+")") || strings.Contains(st.Problem, serviceName(lt.plan.Spec.Name, kept)) {
		lt.t.Errorf("status while %s is away: healthy %v, problem %q; want one naming %s on it", host, st.Healthy, st.Problem, svc)
	}
	lt.t.Logf("status while %s is away: %s, degraded: %s", host, st.Verdict, st.Missing)
	if st.Verdict != VerdictServing || !strings.Contains(st.Missing, svc+" (on "+host+")") {
		lt.t.Errorf("status while %s is away: verdict %q, missing %q; want serving, naming %s", host, st.Verdict, st.Missing, svc)
	}
}

// stack is the deployed cluster as the stack tests see it, for their
// checks from inside the overlay.
func (lt *labTest) stack() *stackTest {
	return &stackTest{t: lt.t, d: lt.mgr, plan: lt.plan, refs: lt.refs, pw: lt.pw}
}

func portOf(addr string) string {
	return addr[strings.LastIndex(addr, ":")+1:]
}
