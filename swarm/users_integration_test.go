package swarm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestIntegrationSwarmUsers: `swarm up --tls --user app:... --no-default-user`
// (FLUSHALL is in @write: -@dangerous takes it away, as on bridge)
// forms the stack as redis-dock's admin user; from the overlay, go-redis
// as app writes app:* keys and is refused `other` and FLUSHALL, and the
// default user is refused; a master killed, its replica takes over (so
// masteruser works), and the check as the admin user reads the keys it
// wrote before.
func TestIntegrationSwarmUsers(t *testing.T) {
	d := needSwarm(t)
	ctx := context.Background()
	s, _, res := upStack(t, d, "swacl", func(s *spec.Spec) {
		s.TLS, s.Users, s.NoDefaultUser = true, []string{"app:~app:* +@read +@write -@dangerous"}, true
		s.UserPasswords = []string{"app=App-pw-" + s.Name}
	})
	st := &stackTest{t: t, d: d, pw: res.Spec.Password, ca: res.CACert}
	var err error
	if _, st.plan, st.refs, err = findStack(ctx, d, s.Name, ""); err != nil {
		t.Fatal(err)
	}
	st.check(time.Minute, "--write-keys", fmt.Sprint(keys), "--prefix", "k")
	got := aclProbe(t, d, st, "app", "App-pw-"+s.Name)
	if got["written"] != "100" || got["set_own"] != "" {
		t.Fatalf("app could not write its own keys: %v", got)
	}
	for _, what := range []string{"set_other", "flushall"} {
		if !strings.HasPrefix(got[what], "NOPERM") {
			t.Errorf("app %s: %q, want NOPERM", what, got[what])
		}
	}
	if got["auth_default"] == "OK" || got["auth_default"] == "" {
		t.Errorf("AUTH default with the stack's password: %q, want refused", got["auth_default"])
	}
	st.killMaster() // the replica takes over as the admin user (masteruser); keys k:* verified
}

// aclProbe runs testdata/aclprobe as user on the overlay and returns what
// each attempt answered.
func aclProbe(t *testing.T, d *docker.Client, st *stackTest, user, userPw string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const dir = "/run/probe/"
	var seeds []string
	for _, n := range st.plan.Nodes {
		seeds = append(seeds, fmt.Sprintf("%s:%d", n.Service, n.Port))
	}
	res, err := d.RunHelper(ctx, docker.Helper{
		Name: st.plan.Spec.Name + "-aclprobe", Image: st.plan.Spec.Image, Network: st.refs.networkName,
		Cmd: []string{dir + "aclprobe", "-seeds", strings.Join(seeds, ","), "-ca", dir + "ca.crt", "-user", user,
			"-user-password-file", dir + "user.password", "-password-file", dir + "password"},
		Labels: map[string]string{docker.LabelCluster: st.plan.Spec.Name, docker.LabelRole: "probe"},
		Files: []docker.File{
			{Path: dir + "aclprobe", Mode: 0o500, UID: stackplan.RedisUID, GID: stackplan.RedisUID, Data: testutil.ReadStaticBinary(t, "./testdata/aclprobe")},
			{Path: dir + "ca.crt", Mode: 0o400, UID: stackplan.RedisUID, GID: stackplan.RedisUID, Data: st.ca},
			{Path: dir + "user.password", Mode: 0o400, UID: stackplan.RedisUID, GID: stackplan.RedisUID, Data: []byte(userPw + "\n")},
			{Path: dir + "password", Mode: 0o400, UID: stackplan.RedisUID, GID: stackplan.RedisUID, Data: []byte(st.pw + "\n")},
		},
	})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("aclprobe: exit %d, err %v\n%s\n%s", res.ExitCode, err, res.Stdout, res.Stderr)
	}
	out := map[string]string{}
	if err := json.Unmarshal(res.Stdout, &out); err != nil {
		t.Fatalf("aclprobe printed %q: %v", res.Stdout, err)
	}
	t.Logf("aclprobe as %s: %v", user, out)
	return out
}
