package redisx

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// TestRouterKeys writes keys with the node image's slot router and reads
// them back with it and with go-redis's cluster client, on a real
// three-master cluster of local redis-server processes.
func TestRouterKeys(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const pw = "router-pw"
	port := testutil.FreePortRange(t, 3)
	var seeds []string
	ranges := [][2]int{{0, 5460}, {5461, 10922}, {10923, 16383}}
	ns := make([]*liteConn, 3)
	for i := range ns {
		p := port + i
		conf := fmt.Sprintf("port %d\nbind 127.0.0.1\ncluster-enabled yes\ncluster-config-file nodes.conf\ncluster-node-timeout 1000\nrequirepass %s\nmasterauth %s\nsave \"\"\n", p, pw, pw)
		testutil.StartRedis(t, t.TempDir(), []byte(conf), "127.0.0.1", p)
		seeds = append(seeds, fmt.Sprintf("127.0.0.1:%d", p))
		ns[i] = &liteConn{addr: seeds[i], auth: Auth{Password: pw}}
		defer ns[i].close()
		if err := ns[i].pipeline(ctx, []any{"CLUSTER", "ADDSLOTSRANGE", ranges[i][0], ranges[i][1]})[0].Err; err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < 3; i++ {
		if err := ns[0].pipeline(ctx, []any{"CLUSTER", "MEET", "127.0.0.1", port + i, port + i + 10000})[0].Err; err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range ns {
		for {
			s, err := n.pipeline(ctx, []any{"CLUSTER", "INFO"})[0].Text()
			if err == nil && ParseInfo(s)["cluster_state"] == "ok" {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("cluster not ok: %v %q", err, s)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if err := liteWriteKeys(ctx, seeds[:1], Auth{Password: pw}, "r", 2000); err != nil {
		t.Fatal(err)
	}
	if err := liteCheckKeys(ctx, seeds[1:2], Auth{Password: pw}, "r", 2000); err != nil {
		t.Fatal(err)
	}
	if err := CheckKeys(ctx, seeds, Auth{Password: pw}, "r", 2000); err != nil {
		t.Fatalf("go-redis reading the router's keys: %v", err)
	}
	if err := liteCheckKeys(ctx, seeds, Auth{Password: pw}, "absent", 1); err == nil {
		t.Error("liteCheckKeys of a missing key: no error")
	}
	if err := WriteKeys(ctx, seeds, Auth{Password: pw}, "g", 1200); err != nil {
		t.Fatalf("go-redis writing keys: %v", err)
	}
	if err := liteCheckKeys(ctx, seeds, Auth{Password: pw}, "g", 1200); err != nil {
		t.Fatalf("the router reading go-redis's keys: %v", err)
	}
	if err := CheckKeys(ctx, seeds, Auth{Password: pw}, "g", 1201); err == nil || !strings.Contains(err.Error(), "g:1200") {
		t.Errorf("CheckKeys past the written keys = %v, want an error naming g:1200", err)
	}
}
