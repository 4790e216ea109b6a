//go:build !nodeimage

package redisdock

import (
	"crypto/rand"
	"fmt"
	"net"
	"strconv"
	"sync"

	"github.com/redis/go-redis/v9"
)

type redisClient = redis.Client

var (
	portMu   sync.Mutex
	reserved = map[int]bool{}
)

// freePorts finds n consecutive client ports (and their bus ports,
// +10000) free on loopback and not yet handed out in this process. Ports
// are drawn at random from 10000..22767 (bus ports 20000..32767): below
// the kernel's ephemeral range (32768+), where outgoing connections would
// take them between the check and the start, and so parallel test processes
// rarely collide; when they do, Start retries.
func freePorts(n int) (int, error) {
	portMu.Lock()
	defer portMu.Unlock()
	for try := 0; try < 500; try++ {
		b := make([]byte, 2)
		_, _ = rand.Read(b)
		base := 10000 + (int(b[0])<<8|int(b[1]))%(12768-n)
		if claim(base, n) {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no %d free consecutive ports found in 10000..22767", n)
}

func claim(base, n int) bool {
	for p := base; p < base+n; p++ {
		if reserved[p] || reserved[p+10000] || !free(p) || !free(p+10000) {
			return false
		}
	}
	for p := base; p < base+n; p++ {
		reserved[p], reserved[p+10000] = true, true
	}
	return true
}

func free(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// FreePorts returns the first of n consecutive client ports that are free
// on loopback (with their bus ports, +10000), for a Spec's Port.
func FreePorts(n int) (int, error) { return freePorts(n) }

// RandomSuffix returns 8 random hex digits, for unique cluster names.
func RandomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}
