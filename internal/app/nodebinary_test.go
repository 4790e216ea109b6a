package app

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

// maxNodeBinary bounds the node image's redis-dock: the image must stay
// under 25 MB and redis-server with its libraries takes about 18 MB.
// crypto/tls (TLS stacks) took it from 3.98 MB to 6.41 MB with Go 1.26
// (its TLS 1.3, ML-KEM and HPKE come along), the image to 24.3 MB.
const maxNodeBinary = 6_600_000

// TestNodeBinaryStaysSmall builds redis-dock with -tags nodeimage, as the
// node image holds it, and checks it links no Docker SDK, compose-go or
// go-redis (crypto/tls it links: stacks speak TLS), and stays under
// maxNodeBinary.
func TestNodeBinaryStaysSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	out, err := exec.Command("go", "list", "-tags", "nodeimage", "-deps", "../../cmd/redis-dock").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/docker/", "github.com/compose-spec/", "github.com/redis/go-redis"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("the node binary links %s: keep it out of the packages that commands_node.go registers", dep)
			}
		}
	}
	bin := testutil.StaticBinary(t, "../../cmd/redis-dock", "nodeimage")
	st, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > maxNodeBinary {
		t.Errorf("node binary is %d bytes, want at most %d", st.Size(), maxNodeBinary)
	}
	t.Logf("node binary: %d bytes", st.Size())
}
