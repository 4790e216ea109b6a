package swarm

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderEncryptedGolden: --encrypted gives the stack's network the
// overlay driver's encrypted option, and nothing else changes.
func TestRenderEncryptedGolden(t *testing.T) {
	p := testPlan(t, 3, 1)
	p.Spec.Encrypted = true
	got, err := Render(p, Files{Dir: "/srv/demo-stack", Password: "/srv/demo-stack/password"}, Placement{})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "stack-3x1-encrypted.golden"), got)
	pr := load(t, t.TempDir(), got)
	for _, n := range pr.Networks {
		if _, ok := n.DriverOpts["encrypted"]; !ok {
			t.Errorf("network %s: driver_opts %v, want encrypted", n.Name, n.DriverOpts)
		}
	}
}

func TestJudgeIPsec(t *testing.T) {
	full := "CONFIG_XFRM_USER=y\nCONFIG_INET_ESP=m\nCONFIG_CRYPTO_GCM=y\n"
	tests := []struct {
		name, config, modules string
		known, ok             bool
		reason                string
	}{
		{"all built in or modules", full, "", true, true, "/proc/config.gz"},
		{"no ESP (this machine)", "CONFIG_XFRM_USER=y\n# CONFIG_INET_ESP is not set\nCONFIG_CRYPTO_GCM=y\n", "", true, false, "CONFIG_INET_ESP is not set"},
		{"no GCM", "CONFIG_XFRM_USER=y\nCONFIG_INET_ESP=y\n# CONFIG_CRYPTO_GCM is not set\n", "", true, false, "AES-GCM"},
		{"no xfrm netlink", "CONFIG_INET_ESP=y\nCONFIG_CRYPTO_GCM=y\n", "", true, false, "CONFIG_XFRM_USER"},
		{"esp4 loaded, no config", "", "xt_policy 16384 0 - Live 0x0\nesp4 24576 0 - Live 0x0\n", true, true, "esp4"},
		{"nothing to read", "", "", false, false, "neither"},
		{"modules without esp4", "", "vxlan 1 0 - Live 0x0\n", false, false, "neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judgeIPsec(tt.config, tt.modules, "/proc/config.gz")
			if got.Known != tt.known || got.OK != tt.ok || !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("judgeIPsec = %+v, want known %v ok %v reason with %q", got, tt.known, tt.ok, tt.reason)
			}
		})
	}
}
