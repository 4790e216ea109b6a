package testutil

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestAckedNeedsWritesOnTheNode: a failover check given no acknowledged
// write, or none on the master it names, fails instead of passing.
func TestAckedNeedsWritesOnTheNode(t *testing.T) {
	down := &AckWriter{Master: func(context.Context, string) (*redis.Client, error) { return nil, errors.New("no master") }}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	down.Run(ctx)
	if f := run(t, func(tb testing.TB) { down.Acked(tb, 7000, 1) }); !f.failed {
		t.Fatal("Acked passed with no acknowledged write")
	}
	if down.Fails() == 0 {
		t.Fatal("the writer counted no failed write against a master that is down")
	}

	w := &AckWriter{}
	for i := 0; i < 100; i++ {
		w.record(fmt.Sprint("w:", i), "v", 7000)
	}
	w.record("x", "v", 7001)
	if f := run(t, func(tb testing.TB) { w.Acked(tb, 7001, 100) }); !f.failed {
		t.Fatal("Acked passed with 1 write on port 7001, want 100")
	}
	if f := run(t, func(tb testing.TB) { w.Acked(tb, 7002, 1) }); !f.failed {
		t.Fatal("Acked passed with no write on port 7002")
	}
	if f := run(t, func(tb testing.TB) { w.Acked(tb, 7000, 100) }); f.failed {
		t.Fatalf("Acked failed with 100 writes on port 7000: %s", f.msg)
	}
	if got := w.AckedOn(7000); got != 100 {
		t.Fatalf("AckedOn(7000) = %d, want 100", got)
	}
}

// TestIntegrationAckWriterCountsPerMaster runs the writer against a real
// master and replica: writes are acknowledged, counted on the master's
// port, and each one is on the replica.
func TestIntegrationAckWriterCountsPerMaster(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test skipped in -short mode")
	}
	port := FreePortRange(t, 2)
	conf := func(p int) string { return fmt.Sprintf("port %d\nbind 127.0.0.1\nsave \"\"\nappendonly no\n", p) }
	StartRedis(t, t.TempDir(), []byte(conf(port)), "127.0.0.1", port)
	StartRedis(t, t.TempDir(), []byte(conf(port+1)+fmt.Sprintf("replicaof 127.0.0.1 %d\n", port)), "127.0.0.1", port+1)
	master := redis.NewClient(&redis.Options{Addr: fmt.Sprint("127.0.0.1:", port)})
	defer master.Close()
	replica := redis.NewClient(&redis.Options{Addr: fmt.Sprint("127.0.0.1:", port+1)})
	defer replica.Close()
	w := &AckWriter{Master: func(context.Context, string) (*redis.Client, error) { return master, nil }}
	stop := w.Start(context.Background())
	w.WaitAcked(t, port, 100)
	stop()
	acked := w.Acked(t, port, 100)
	if w.AckedOn(port+1) != 0 {
		t.Errorf("%d writes counted on the replica's port", w.AckedOn(port+1))
	}
	ctx := context.Background()
	for k, v := range acked {
		if got, err := replica.Get(ctx, k).Result(); err != nil || got != v {
			t.Fatalf("acknowledged %s=%s: the replica has %q, %v", k, v, got, err)
		}
	}
}
