package testutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisProc is a redis-server process on the host, for tests of cluster
// logic that need real nodes but no Docker.
type RedisProc struct {
	Dir  string // its data directory, kept across restarts
	Conf string
	IP   string // the address it listens on
	Port int
	cmd  *exec.Cmd
	done chan struct{}
}

// RedisServer returns the redis-server on PATH; without one the test is
// skipped (or fails when REDIS_DOCK_REQUIRE_DOCKER=1, as CI has Redis).
func RedisServer(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv(RequireDocker) == "1" {
			t.Fatalf("%s=1 but redis-server is not on PATH: %v", RequireDocker, err)
		}
		t.Skipf("redis-server is not on PATH: %v", err)
	}
	return bin
}

// StartRedis writes conf into dir and runs redis-server on it until the
// test ends (or Stop), waiting until the port accepts connections on ip.
func StartRedis(t testing.TB, dir string, conf []byte, ip string, port int) *RedisProc {
	t.Helper()
	bin := RedisServer(t)
	p := &RedisProc{Dir: dir, Conf: filepath.Join(dir, "redis.conf"), IP: ip, Port: port}
	if err := os.WriteFile(p.Conf, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	log, err := os.OpenFile(filepath.Join(dir, "redis.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, p.Conf)
	p.cmd.Dir, p.cmd.Stdout, p.cmd.Stderr = dir, log, log
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("failed to start redis-server: %v", err)
	}
	p.done = make(chan struct{})
	go func() { p.cmd.Wait(); log.Close(); close(p.done) }()
	t.Cleanup(p.Stop)
	addr := net.JoinHostPort(ip, strconv.Itoa(port))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return p
		}
		select {
		case <-p.done:
			b, _ := os.ReadFile(filepath.Join(dir, "redis.log"))
			t.Fatalf("redis-server on %s exited:\n%s", addr, b)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s did not listen within 10s", addr)
		}
	}
}

// Client returns a client of the server (opt with its address), closed
// when the test ends, once the server answers PING: any reply but LOADING
// counts (a WRONGPASS says the server is up; waiting would not help).
func (p *RedisProc) Client(t testing.TB, opt redis.Options) *redis.Client {
	t.Helper()
	opt.Addr = net.JoinHostPort(p.IP, strconv.Itoa(p.Port))
	opt.DisableIdentity, opt.MaxRetries = true, -1
	c := redis.NewClient(&opt)
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		err := c.Ping(ctx).Err()
		var reply redis.Error
		if err == nil || errors.As(err, &reply) && !strings.HasPrefix(err.Error(), "LOADING") {
			return c
		}
		select {
		case <-p.done:
			b, _ := os.ReadFile(filepath.Join(p.Dir, "redis.log"))
			t.Fatalf("%s exited before answering PING:\n%s", p, b)
		case <-ctx.Done():
			t.Fatalf("%s did not answer PING: %v", p, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Stop ends the server as `docker stop` does: SIGTERM (Redis writes its
// AOF and nodes.conf and exits), SIGKILL after 10 s. It waits for the exit.
func (p *RedisProc) Stop() {
	if p.cmd.Process != nil {
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.Kill()
	}
}

// Kill ends the server with SIGKILL, as a crash would, and waits.
func (p *RedisProc) Kill() {
	if p.cmd.Process != nil {
		p.cmd.Process.Kill()
	}
	<-p.done
}

// String names the process for messages.
func (p *RedisProc) String() string { return fmt.Sprintf("redis-server :%d", p.Port) }
