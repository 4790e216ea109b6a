package images

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Where the node binary is looked for, and the module that builds it.
const (
	NodeBinaryEnv  = "REDIS_DOCK_NODE_BINARY"
	NodeBinaryName = "redis-dock-node"
	ModulePath     = "github.com/redis-dock/redis-dock"
)

// FindNodeBinary returns the static redis-dock binary to put in the image:
// $REDIS_DOCK_NODE_BINARY, else redis-dock-node beside the running
// executable, else the executable itself when it is a static redis-dock.
func FindNodeBinary() (string, error) {
	if p := os.Getenv(NodeBinaryEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", NodeBinaryEnv, p, err)
		}
		return p, nil
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err == nil {
		beside := filepath.Join(filepath.Dir(exe), NodeBinaryName)
		if st, err := os.Stat(beside); err == nil && st.Mode().IsRegular() {
			return beside, nil
		}
		if static, _ := isStatic(exe); static && filepath.Base(exe) == "redis-dock" {
			return exe, nil
		}
	}
	return "", errors.New("no static node binary found: run 'make build' (it writes " + NodeBinaryName +
		" beside redis-dock), set " + NodeBinaryEnv + " or pass --node-binary")
}

// BuildNodeBinary builds the node binary from the module at moduleDir into
// out: static (CGO off), for Linux, stripped, with the nodeimage tag that
// leaves out what only the host CLI needs.
func BuildNodeBinary(ctx context.Context, moduleDir, out string) error {
	out, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w",
		"-tags", "nodeimage", "-o", out, "./cmd/redis-dock")
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("failed to build the node binary in %s: %w: %s", moduleDir, err, strings.TrimSpace(string(b)))
	}
	return nil
}

// FindModuleRoot walks up from dir to the go.mod of this module, so a
// source checkout can build its own node binary.
func FindModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if isModule(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of %s above the working directory", ModulePath)
		}
		dir = parent
	}
}

func isModule(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == ModulePath
		}
	}
	return false
}
