package testutil

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/images"
	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
)

// CLI is the built redis-dock binary running as a subprocess, its
// stderr collected line by line, for tests of signals and exit codes.
type CLI struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
	added chan struct{} // closed and replaced on every line; closed for good at EOF
	eof   bool
	done  chan struct{}
}

// NodeBinary builds the static in-image redis-dock binary (what
// `make build` puts in bin/redis-dock-node) into a temporary directory.
func NodeBinary(ctx context.Context, t testing.TB) string {
	t.Helper()
	root, err := images.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	node := filepath.Join(t.TempDir(), "redis-dock")
	if err := images.BuildNodeBinary(ctx, root, node); err != nil {
		t.Fatal(err)
	}
	return node
}

// StaticBinary builds pkg (as `go build` takes it, relative to the test's
// directory) static and stripped, as the node image and the lab's
// containers run binaries, and returns the file's path.
func StaticBinary(t testing.TB, pkg string, tags ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(pkg))
	args := []string{"build", "-trimpath", "-ldflags", "-s -w", "-o", out}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// ReadStaticBinary is StaticBinary's file, read (to copy into a container).
func ReadStaticBinary(t testing.TB, pkg string) []byte {
	t.Helper()
	b, err := os.ReadFile(StaticBinary(t, pkg))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// StartCLI runs bin/redis-dock (built by `make build`) with args.
func StartCLI(t testing.TB, args ...string) *CLI {
	t.Helper()
	root, err := images.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "bin", "redis-dock")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s: %v (run `make build` first)", bin, err)
	}
	p := &CLI{cmd: exec.Command(bin, args...), added: make(chan struct{}), done: make(chan struct{})}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); <-p.done })
	go p.read(bufio.NewScanner(stderr))
	return p
}

func (p *CLI) read(sc *bufio.Scanner) {
	for sc.Scan() {
		p.mu.Lock()
		p.lines = append(p.lines, sc.Text())
		close(p.added)
		p.added = make(chan struct{})
		p.mu.Unlock()
	}
	p.mu.Lock()
	p.eof = true
	close(p.added)
	p.mu.Unlock()
	_ = p.cmd.Wait()
	close(p.done)
}

// WaitLine waits for a stderr line containing s; false when stderr ends
// first.
func (p *CLI) WaitLine(s string) bool {
	for seen := 0; ; {
		p.mu.Lock()
		for ; seen < len(p.lines); seen++ {
			if strings.Contains(p.lines[seen], s) {
				p.mu.Unlock()
				return true
			}
		}
		eof, added := p.eof, p.added
		p.mu.Unlock()
		if eof {
			return false
		}
		<-added
	}
}

func (p *CLI) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

func (p *CLI) Signal(t testing.TB, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// Wait waits for the process to end and returns its exit code (-1 when a
// signal killed it) and its stderr.
func (p *CLI) Wait() (int, string) {
	<-p.done
	return p.cmd.ProcessState.ExitCode(), p.Stderr()
}

// WaitContainer waits until a container of cluster exists, while p runs
// up, and returns its name; the test fails if p ends first.
func (p *CLI) WaitContainer(t testing.TB, d *docker.Client, cluster string) string {
	t.Helper()
	for {
		cts, err := d.List(context.Background(), cluster)
		if err != nil {
			t.Fatal(err)
		}
		if len(cts) > 0 {
			return cts[0].Name
		}
		select {
		case <-p.Done():
			t.Fatalf("up ended before creating a container:\n%s", p.Stderr())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// AssertUndone signals p, a run of up that has created the container
// first of cluster, and asserts that it exits with 128+sig, says that it
// removed what it created (first among it) and leaves nothing that
// carries the cluster's label.
func (p *CLI) AssertUndone(t testing.TB, d *docker.Client, sig syscall.Signal, cluster, first string) {
	t.Helper()
	p.Signal(t, sig)
	code, stderr := p.Wait()
	if code != 128+int(sig) {
		t.Errorf("exit code %d after signal %q, want %d; stderr:\n%s", code, sig, 128+int(sig), stderr)
	}
	if !strings.Contains(stderr, "removed what this run created") || !strings.Contains(stderr, first) {
		t.Errorf("stderr does not list what was removed (%s among it):\n%s", first, stderr)
	}
	AssertNothingLeft(t, d, cluster)
}

// Done is closed when the process has ended.
func (p *CLI) Done() <-chan struct{} { return p.done }

// RunCommand runs the command newCmd builds with args, its status lines,
// usage and errors discarded, and returns what it printed to stdout.
func RunCommand(t testing.TB, newCmd func(*status.Env) *cobra.Command, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := newCmd(&status.Env{Logger: status.NewLogger(io.Discard, 0, true), Stdout: &out})
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return out.String(), err
}
