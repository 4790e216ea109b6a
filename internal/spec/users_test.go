package spec

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/templates"
)

func TestValidateUsers(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := Default()
	ok.Users = []string{"app:~app:* +@read +@write", "ro:~* +@read"}
	ok.UserPasswordFiles = []string{"app=" + pwFile}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid users refused: %v", err)
	}
	sentinel := ok
	sentinel.Mode, sentinel.Masters, sentinel.Replicas, sentinel.NoDefaultUser = ModeSentinel, 1, 1, true
	if err := sentinel.Validate(); err != nil {
		t.Fatalf("users in a sentinel group refused: %v", err)
	}
	for name, tc := range map[string]struct {
		edit func(*Spec)
		want string
	}{
		"unknown category": {func(s *Spec) { s.Users = []string{"app:+@reed"} }, `--user app: rule "+@reed": unknown category`},
		"unknown command":  {func(s *Spec) { s.Users = []string{"app:+sett"} }, `--user app: rule "+sett": unknown command`},
		"twice":            {func(s *Spec) { s.Users = append(s.Users, "app:+get") }, "--user app: given twice"},
		"no password":      {func(s *Spec) { s.NoPassword = true }, "--user with --no-password"},
		"file of whom":     {func(s *Spec) { s.UserPasswordFiles = []string{"bob=" + pwFile} }, "--user-password-file bob: no --user bob"},
		"file missing":     {func(s *Spec) { s.UserPasswordFiles = []string{"app=" + pwFile + "x"} }, "--user-password-file app: "},
		"both":             {func(s *Spec) { s.UserPasswords = []string{"app=x"} }, "already given by --user-password-file"},
		"without user":     {func(s *Spec) { s.Users, s.UserPasswordFiles = nil, []string{"app=" + pwFile} }, "need a --user"},
	} {
		s := ok
		s.Users = append([]string(nil), ok.Users...)
		tc.edit(&s)
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate = %v, want %q", name, err, tc.want)
		}
	}
}

func TestResolveUserPasswords(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("from-file\nignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := Default()
	s.Users = []string{"app:+@read", "gen:+@read", "given:+@read"}
	s.UserPasswordFiles = []string{"app=" + pwFile}
	s.UserPasswords = []string{"given=abc"}
	if err := s.ResolveUserPasswords(); err != nil {
		t.Fatal(err)
	}
	if pw, _ := s.UserPassword("app"); pw != "from-file" {
		t.Errorf("app: %q, want the file's first line", pw)
	}
	if pw, _ := s.UserPassword("given"); pw != "abc" {
		t.Errorf("given: %q", pw)
	}
	if pw, _ := s.UserPassword("gen"); len(pw) < 24 {
		t.Errorf("gen: generated %q, want a long random password", pw)
	}
	if len(s.UserPasswords) != 3 {
		t.Errorf("UserPasswords = %q, want one per user", s.UserPasswords)
	}
}

// TestNodeSettingsUsers: without users a config is as before (requirepass
// and masterauth, no user lines); with them, redis-dock's admin user is
// masteruser, user lines keep hashes only, and --no-default-user drops
// requirepass.
func TestNodeSettingsUsers(t *testing.T) {
	s := Default()
	s.Password = "adminpw"
	conf := render(t, s)
	if !strings.Contains(conf, `requirepass "adminpw"`) || strings.Contains(conf, "masteruser") || strings.Contains(conf, "\nuser ") {
		t.Errorf("without users:\n%s", conf)
	}
	s.Users, s.UserPasswords, s.NoDefaultUser = []string{"app:~app:* +@read"}, []string{"app=apppw"}, true
	conf = render(t, s)
	for _, want := range []string{`masteruser "redis-dock"`, `masterauth "adminpw"`, "\nuser redis-dock on #", "\nuser app on #", " ~app:* +@read\n", "\nuser default off"} {
		if !strings.Contains(conf, want) {
			t.Errorf("with users: no %q in\n%s", want, conf)
		}
	}
	if strings.Contains(conf, "requirepass") || strings.Contains(conf, "apppw") {
		t.Errorf("with --no-default-user: requirepass or app's password in\n%s", conf)
	}
}

func render(t *testing.T, s Spec) string {
	t.Helper()
	b, err := templates.RenderNode(s.NodeSettings(), templates.Node{Name: "n", Port: 7000, Dir: "/data"})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRedisServerLoadsUsers starts redis-server on a rendered config with
// users: app logs in with its password and has its rights, the default
// user is off, redis-dock's admin user may do everything.
func TestRedisServerLoadsUsers(t *testing.T) {
	dir := t.TempDir()
	port := testutil.FreePortRange(t, 1)
	s := Default()
	s.Mode, s.Password = ModeSentinel, "adminpw" // a plain node: no cluster to form here
	s.Users, s.UserPasswords, s.NoDefaultUser = []string{"app:~app:* +@read +@write -@dangerous"}, []string{"app=apppw"}, true
	conf, err := templates.RenderNode(s.NodeSettings(), templates.Node{Name: "n", Port: port, Bind: []string{"127.0.0.1"}, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	p := testutil.StartRedis(t, dir, conf, "127.0.0.1", port)
	app := p.Client(t, redis.Options{Username: "app", Password: "apppw"})
	if err := app.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("app's PING: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := app.Set(ctx, "app:1", "v", 0).Err(); err != nil {
		t.Errorf("app SET app:1: %v", err)
	}
	for what, err := range map[string]error{"SET other": app.Set(ctx, "other", "v", 0).Err(), "FLUSHALL": app.FlushAll(ctx).Err()} {
		if err == nil || !strings.HasPrefix(err.Error(), "NOPERM") {
			t.Errorf("app %s = %v, want NOPERM", what, err)
		}
	}
	def := p.Client(t, redis.Options{})
	if err := def.Do(ctx, "AUTH", "default", "adminpw").Err(); err == nil {
		t.Error("AUTH default succeeded with the default user off")
	}
	admin := p.Client(t, redis.Options{Username: "redis-dock", Password: "adminpw"})
	if err := admin.ConfigGet(ctx, "masteruser").Err(); err != nil {
		t.Errorf("admin CONFIG GET: %v", err)
	}
}
