package cluster

import (
	"context"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// The fault matrix's `up` row: a fault lands while `up` forms a new
// cluster (right after its nodes started): a node killed, a node paused
// for three node timeouts, or the tool itself SIGKILLed. Up must either
// succeed with `status` agreeing, or fail naming the node and the command
// to run next, having removed what it made; and `up` again must then give
// a healthy cluster that clients can use (README "Fault matrix").
func TestIntegrationFaultMatrixUp(t *testing.T) {
	testutil.Docker(t)
	_ = toolBinary(t)
	for _, kind := range []string{faultKill, faultPause, faultSIGKILL} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			faultDuringUp(t, kind)
		})
	}
}

func faultDuringUp(t *testing.T, kind string) {
	ctx := context.Background()
	d := testutil.Docker(t)
	o := Options{Docker: d, Logger: testutil.Logger(t)}
	name := testutil.UniqueName("fmup" + kind)
	port := testutil.FreePortRange(t, 6)
	testutil.RemoveOnCleanup(t, d, name)
	const nodeTimeout = 2000
	args := []string{"up", "--name", name, "--port", strconv.Itoa(port), "--node-timeout", strconv.Itoa(nodeTimeout), "-v", "1"}
	victim := name + "-" + strconv.Itoa(port) // the first master

	p := testutil.StartCLI(t, args...)
	// the nodes exist once they have started; forming is under way then
	if !p.WaitLine("✓ Starting 6 nodes") {
		code, said := p.Wait()
		t.Fatalf("up ended (exit %d) before its nodes started:\n%s", code, said)
	}
	faulted := true
	select {
	case <-p.Done():
		faulted = false
	default:
		switch kind {
		case faultSIGKILL:
			t.Logf("FAULT: SIGKILL to redis-dock up")
			p.Signal(t, syscall.SIGKILL)
		case faultKill:
			t.Logf("FAULT: docker kill %s", victim)
			if _, err := Inject(ctx, name, "kill", []string{victim}, o); err != nil {
				t.Fatal(err)
			}
		case faultPause:
			t.Logf("FAULT: docker pause %s for %dms", victim, 3*nodeTimeout)
			if _, err := Inject(ctx, name, "pause", []string{victim}, o); err != nil {
				t.Fatal(err)
			}
			time.AfterFunc(3*nodeTimeout*time.Millisecond, func() {
				if _, err := Inject(context.Background(), name, "unpause", []string{victim}, o); err != nil {
					t.Logf("unpause %s: %v (up removed it already)", victim, err)
				}
			})
		}
	}
	code, said := p.Wait()
	t.Logf("redis-dock up said (exit %d):\n%s", code, said)
	last := said
	if i := strings.LastIndex(said, "ERROR:"); i >= 0 {
		last = said[i:]
	}
	switch {
	case !faulted:
		t.Logf("FAULT MISSED: up finished before the %s could land", kind)
	case kind == faultSIGKILL:
		t.Logf("the tool was killed: it said nothing more")
	case code == 0:
		if kind == faultKill {
			// a node killed while up forms the cluster cannot be healthy
			t.Errorf("CLAIM: up succeeded although %s was killed while it formed the cluster:\n%s", victim, said)
		}
		st := mustStatus(t, name, o)
		if !st.Healthy {
			t.Errorf("CLAIM: up succeeded while status says not healthy: %q", st.Problems)
		} else {
			t.Logf("up succeeded through the fault and status agrees: healthy")
		}
	default:
		if !strings.Contains(last, victim) {
			t.Errorf("CLAIM: up failed without naming the node hurt, %s: %s", victim, last)
		}
		if !strings.Contains(last, "redis-dock up") && !strings.Contains(last, "again") {
			t.Errorf("CLAIM: up failed without naming the next command (run up again): %s", last)
		}
		if !strings.Contains(said, "removed what this run created") {
			t.Errorf("CLAIM: up failed without saying it removed what it made:\n%s", said)
		}
		testutil.AssertNothingLeft(t, d, name)
		t.Logf("up failed, as it should, and removed what it made: %s", strings.TrimSpace(last))
	}
	if kind == faultPause {
		time.Sleep(3 * nodeTimeout * time.Millisecond) // the node answers again before the recovery
	}

	// recovery: up again, the same command
	again := testutil.StartCLI(t, args[:len(args)-2]...)
	if code, said := again.Wait(); code != 0 {
		t.Fatalf("RECOVERY: up again exited %d:\n%s", code, said)
	}
	if err := WaitHealthy(ctx, name, 2*time.Minute, o); err != nil {
		t.Fatalf("RECOVERY: %v", err)
	}
	password, err := Password(ctx, name, o)
	if err != nil {
		t.Fatal(err)
	}
	addrs := []string{"127.0.0.1:" + strconv.Itoa(port), "127.0.0.1:" + strconv.Itoa(port+1)}
	testutil.AssertClientTopology(t, addrs, password, 3, 1)
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, Password: password})
	defer rdb.Close()
	testutil.WriteRead(t, rdb, "k", 2000)
	testutil.RedisCliCheck(t, addrs[0], password)
}
