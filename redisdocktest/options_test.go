//go:build !nodeimage

package redisdocktest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	redisdock "github.com/redis-dock/redis-dock"
	"github.com/redis-dock/redis-dock/internal/testutil"
	"github.com/redis-dock/redis-dock/redisdocktest"
)

// TestIntegrationStartTLS: with Options.TLS the nodes speak TLS only and
// Client() carries the cluster's CA; a client without it gets nowhere.
func TestIntegrationStartTLS(t *testing.T) {
	testutil.Docker(t) // skips without an engine, unless REDIS_DOCK_REQUIRE_DOCKER=1
	c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, TLS: true})
	ctx := context.Background()
	if cfg, err := c.TLSConfig(); err != nil || cfg == nil || cfg.RootCAs == nil || len(c.CACert()) == 0 {
		t.Fatalf("TLSConfig = %v, %v; CA %d bytes", cfg, err, len(c.CACert()))
	}
	for i := range 100 {
		if err := c.Client().Set(ctx, "k"+string(rune('a'+i%26))+string(rune('0'+i/26)), i, 0).Err(); err != nil {
			t.Fatalf("SET over TLS: %v", err)
		}
	}
	if n, err := c.Client().DBSize(ctx).Result(); err != nil || n == 0 {
		t.Fatalf("DBSIZE over TLS: %d, %v", n, err)
	}
	ca, err := redisdock.CACert(ctx, c.Name())
	if err != nil || string(ca) != string(c.CACert()) {
		t.Fatalf("CACert(%s): %d bytes, %v; want the cluster's CA", c.Name(), len(ca), err)
	}
	plain := redis.NewClient(&redis.Options{Addr: c.Addrs()[0], Password: c.Password(), MaxRetries: -1, DialTimeout: time.Second, ReadTimeout: 2 * time.Second})
	defer plain.Close()
	if err := plain.Ping(ctx).Err(); err == nil {
		t.Fatal("a plaintext client was answered")
	}
}

// TestIntegrationStartUsers: with Options.Users and NoDefaultUser, a
// client as the user has the user's rights and no more, the default
// user is refused, and Client() (redis-dock's admin user) still works.
func TestIntegrationStartUsers(t *testing.T) {
	testutil.Docker(t)
	c := redisdocktest.Start(t, redisdocktest.Options{Masters: 3, Users: []string{"app:~app:* +@read +@write -@dangerous"}, NoDefaultUser: true})
	ctx := context.Background()
	app, err := c.NewClientAs("app", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	for i := range 200 {
		if err := app.Set(ctx, fmt.Sprintf("app:%d", i), i, 0).Err(); err != nil {
			t.Fatalf("app SET app:%d: %v", i, err)
		}
	}
	if err := app.Set(ctx, "other", "v", 0).Err(); err == nil || !strings.HasPrefix(err.Error(), "NOPERM") {
		t.Errorf("app SET other = %v, want NOPERM", err)
	}
	if n, err := c.Client().DBSize(ctx).Result(); err != nil || n == 0 {
		t.Errorf("the admin client's DBSIZE = %d, %v; want app's keys", n, err)
	}
	def := redis.NewClient(&redis.Options{Addr: c.Addrs()[0], MaxRetries: -1, DisableIdentity: true})
	defer def.Close()
	if err := def.Do(ctx, "AUTH", "default", c.Password()).Err(); err == nil {
		t.Error("AUTH default succeeded with NoDefaultUser")
	}
	if _, ok := c.UserPassword("nobody"); ok {
		t.Error("UserPassword of an unknown user said ok")
	}
}
