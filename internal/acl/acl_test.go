package acl

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite redis-7.0.txt from redis-server on PATH")

func TestParse(t *testing.T) {
	name, rules, err := Parse("app:~app:* +@read +@write -flushall +config|get +select|0 %R~r:* &chan allkeys off")
	if err != nil || name != "app" || len(rules) != 10 {
		t.Fatalf("Parse = %q %q %v", name, rules, err)
	}
	for arg, want := range map[string]string{
		"app":                "want NAME:RULES",
		"app:+@nosuch":       `app: rule "+@nosuch": unknown category; the categories are @admin`,
		"app:+nosuchcmd":     `app: rule "+nosuchcmd": unknown command`,
		"app:-config|nosuch": "unknown subcommand of config",
		"app:>secret":        "passwords are redis-dock's",
		"app:nopass":         "passwords are redis-dock's",
		"app:#abc":           "passwords are redis-dock's",
		"app:(+get ~x)":      "selectors are not supported",
		"app:frobnicate":     "allowed: on, off",
		"app:%X~k":           "%R~pattern",
		"default:+@all":      "the default user is Redis's own",
		"redis-dock:+@all":   "redis-dock's own admin user",
		"bad name:+@all":     "a user name has",
	} {
		_, _, err := Parse(arg)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", arg, err, want)
		}
	}
}

func TestClusterClientRulesAreKnown(t *testing.T) {
	for _, r := range ClusterClient {
		if err := CheckRule("x", r); err != nil {
			t.Error(err)
		}
	}
}

func TestLine(t *testing.T) {
	got := Line("app", "pw", []string{"~app:*", "+@read"})
	want := "app on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 " + strings.Join(ClusterClient, " ") + " ~app:* +@read"
	if got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
}

// TestListMatchesRedisServer compares redis-7.0.txt with the COMMAND LIST
// and ACL CAT of redis-server on PATH (-update rewrites the file).
func TestListMatchesRedisServer(t *testing.T) {
	port := testutil.FreePortRange(t, 1)
	conf := fmt.Sprintf("port %d\nbind 127.0.0.1\nsave \"\"\nappendonly no\n", port)
	c := testutil.StartRedis(t, t.TempDir(), []byte(conf), "127.0.0.1", port).Client(t, redis.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cats, err := c.Do(ctx, "ACL", "CAT").StringSlice()
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := c.Do(ctx, "COMMAND", "LIST").StringSlice()
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	for _, k := range cats {
		live = append(live, "@"+k)
	}
	sort.Strings(live)
	sort.Strings(cmds)
	live = append(live, cmds...)
	if *update {
		head := strings.Join(strings.SplitAfterN(list, "\n", 3)[:2], "")
		if err := os.WriteFile("redis-7.0.txt", []byte(head+strings.Join(live, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have := parse(list)
	for _, k := range live {
		if !have[k] {
			t.Errorf("redis-server has %s, redis-7.0.txt does not (go test -update)", k)
		}
		delete(have, k)
	}
	for k := range have {
		t.Errorf("redis-7.0.txt has %s, redis-server does not", k)
	}
	if len(live) < 300 {
		t.Errorf("only %d commands and categories: %v", len(live), fmt.Sprint(live))
	}
}
