package nodeagent

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/status"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

const testPW = "announce-pw"

// names resolves node names like Swarm's DNS, from a map tests change.
type names struct {
	mu sync.Mutex
	ip map[string]netip.Addr
}

func (d *names) set(host string, ip string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ip[host] = netip.MustParseAddr(ip)
}

func (d *names) lookup(_ context.Context, host string) ([]netip.Addr, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ip, ok := d.ip[host]
	if !ok {
		return nil, fmt.Errorf("no such host %s", host)
	}
	return []netip.Addr{ip}, nil
}

func nodeConf(ip string, port int) []byte {
	return []byte(fmt.Sprintf("port %d\nbind %s\ncluster-enabled yes\ncluster-config-file nodes.conf\ncluster-node-timeout 1000\n"+
		"cluster-announce-ip %s\nrequirepass %s\nmasterauth %s\nappendonly yes\n", port, ip, ip, testPW, testPW))
}

// TestAnnouncerAfterMove forms a 3-master cluster of local processes
// (resolved by name), restarts every node on another loopback address
// with its data (a whole stack rescheduled: no node can reach any other
// at the addresses it knows, so Redis cannot heal this alone), and checks
// that the nodes' announcers get the cluster healthy again by themselves.
func TestAnnouncerAfterMove(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	shape := Shape{Name: "ann", Masters: 3, Port: testutil.FreePortRange(t, 3), Prefix: "n-"}
	dns := &names{ip: map[string]netip.Addr{}}
	dirs := make([]string, 3)
	procs := make([]*testutil.RedisProc, 3)
	for i := range dirs {
		port := shape.Port + i
		dirs[i] = t.TempDir()
		dns.set(shape.Host(port), "127.0.0.1")
		procs[i] = testutil.StartRedis(t, dirs[i], nodeConf("127.0.0.1", port), "127.0.0.1", port)
	}
	members, err := shape.Members(ctx, dns.lookup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Cluster(shape, members, testPW, time.Minute, status.Discard()).Converge(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range procs {
		p.Stop()
	}
	errs := make(chan error, len(procs))
	for i := range procs {
		port, ip := shape.Port+i, fmt.Sprintf("127.0.0.%d", 5+i)
		dns.set(shape.Host(port), ip)
		testutil.StartRedis(t, dirs[i], nodeConf(ip, port), ip, port)
		a := &Announcer{Self: netip.MustParseAddr(ip), Port: port, BusPort: port + 10000, Peers: shape.Peers(port),
			Password: testPW, Lookup: dns.lookup, Log: status.Discard()}
		go func() { errs <- a.Run(ctx) }()
	}
	for range procs {
		if err := <-errs; err != nil {
			t.Fatalf("announce: %v", err)
		}
	}
	members, err = shape.Members(ctx, dns.lookup)
	if err != nil {
		t.Fatal(err)
	}
	c := Cluster(shape, members, testPW, time.Minute, status.Discard())
	ns := c.Dial()
	defer func() {
		for _, n := range ns {
			n.Close()
		}
	}()
	if err := c.WaitHealthy(ctx, ns); err != nil {
		t.Fatalf("after the announcement: %v", err)
	}
	for _, n := range ns {
		nodes, _ := n.Nodes(ctx)
		for _, cn := range nodes {
			if want := fmt.Sprintf("127.0.0.%d", 5+cn.Port-shape.Port); cn.IP != want {
				t.Errorf("%s knows :%d at %s, want %s", n.Addr, cn.Port, cn.IP, want)
			}
		}
	}
}
