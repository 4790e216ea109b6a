package docker

import (
	"net/netip"
	"strings"
	"testing"
)

// TestFreeSubnetIn: the start-th /24 when free, else the next free one
// (wrapping inside the /16), and an error naming the range when none is.
func TestFreeSubnetIn(t *testing.T) {
	in := netip.MustParsePrefix("10.214.0.0/16")
	used := []netip.Prefix{netip.MustParsePrefix("10.214.7.0/24"), netip.MustParsePrefix("10.214.255.0/24"), netip.MustParsePrefix("10.214.0.0/23")}
	for _, tt := range []struct {
		start int
		want  string
	}{{5, "10.214.5.0/24"}, {7, "10.214.8.0/24"}, {255, "10.214.2.0/24"}} {
		got, err := FreeSubnetIn(in, tt.start, used)
		if err != nil || got.String() != tt.want {
			t.Errorf("FreeSubnetIn(start %d) = %v, %v; want %s", tt.start, got, err, tt.want)
		}
	}
	if _, err := FreeSubnetIn(in, 0, []netip.Prefix{in}); err == nil || !strings.Contains(err.Error(), "10.214.0.0/16") {
		t.Errorf("all used: err = %v, want one naming 10.214.0.0/16", err)
	}
}
