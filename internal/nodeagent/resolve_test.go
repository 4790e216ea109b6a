package nodeagent

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestResolveAnswering: a name that first resolves to an address where
// nothing listens (the task of a host that is gone), then to nothing, is
// resolved again until one of its addresses answers (the stale one
// beside it is passed over); one that never does fails naming the name
// and the address.
func TestResolveAnswering(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	lookups := 0
	lookup := func(context.Context, string) ([]netip.Addr, error) {
		lookups++
		switch lookups {
		case 1, 2:
			return []netip.Addr{netip.MustParseAddr("127.0.0.9")}, nil
		case 3:
			return nil, nil
		}
		return []netip.Addr{netip.MustParseAddr("127.0.0.9"), netip.MustParseAddr("127.0.0.1")}, nil
	}
	ip, err := resolveAnswering(ctx, lookup, "n-7000", port)
	if err != nil || ip.String() != "127.0.0.1" || lookups != 4 {
		t.Fatalf("got %s, %v after %d lookups; want 127.0.0.1 after 4", ip, err, lookups)
	}

	short, cancel2 := context.WithTimeout(context.Background(), time.Second)
	defer cancel2()
	stale := func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.9")}, nil
	}
	_, err = resolveAnswering(short, stale, "n-7000", port)
	if err == nil || !strings.Contains(err.Error(), "n-7000 resolves to 127.0.0.9:") {
		t.Fatalf("a stale address only: %v, want an error naming it", err)
	}
}
