package nodeagent

import (
	"net"
	"net/netip"
	"strings"
	"testing"
)

func ipNet(t *testing.T, cidr string) net.Addr {
	t.Helper()
	ip, n, err := net.ParseCIDR(cidr)
	if err != nil {
		t.Fatal(err)
	}
	n.IP = ip
	return n
}

// TestAddrIn picks the stack network's address among the interfaces a
// Swarm task has: loopback, ingress, docker_gwbridge and the overlay.
func TestAddrIn(t *testing.T) {
	var addrs []net.Addr
	for _, c := range []string{"127.0.0.1/8", "10.0.0.7/24", "172.18.0.3/16", "10.214.5.12/24", "::1/128"} {
		addrs = append(addrs, ipNet(t, c))
	}
	tests := []struct {
		subnet, want, err string
	}{
		{"10.214.5.0/24", "10.214.5.12", ""},
		{"10.0.0.0/24", "10.0.0.7", ""},
		{"10.99.0.0/24", "", "no interface address"},
	}
	for _, tt := range tests {
		got, err := addrIn(addrs, netip.MustParsePrefix(tt.subnet))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "10.214.5.12") {
				t.Errorf("addrIn(%s) = %v, %v; want an error listing the addresses", tt.subnet, got, err)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("addrIn(%s) = %v, %v; want %s", tt.subnet, got, err, tt.want)
		}
	}
}
