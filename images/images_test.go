package images

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		out, want string
		ok        bool
	}{
		{"Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ae4d7c971a948f0\n", "7.0.15", true},
		{"Redis server v=7.4.0-rc1 sha=0:0\n", "7.4.0-rc1", true},
		{"redis-check-rdb: usage\n", "", false},
		{"Redis server v= sha=0\n", "", false},
	}
	for _, tt := range tests {
		got, err := parseVersion(tt.out)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("parseVersion(%q) = %q, %v; want %q, ok=%v", tt.out, got, err, tt.want, tt.ok)
		}
	}
}

func TestRedisVersion(t *testing.T) {
	needRedis(t)
	v, err := RedisVersion(hostRedis)
	if err != nil || !strings.Contains(v, ".") {
		t.Fatalf("RedisVersion = %q, %v", v, err)
	}
}

func TestTags(t *testing.T) {
	tests := []struct {
		version, extra string
		want           []string
	}{
		{"7.0.15", "", []string{"redis-dock/node:7.0.15", "redis-dock/node:latest"}},
		{"", "", []string{"redis-dock/node:latest"}},
		{"7.2.4", "dev", []string{"redis-dock/node:7.2.4", "redis-dock/node:latest", "redis-dock/node:dev"}},
		{"7.2.4", "latest", []string{"redis-dock/node:7.2.4", "redis-dock/node:latest"}},
	}
	for _, tt := range tests {
		if got := tags(tt.version, tt.extra); !slices.Equal(got, tt.want) {
			t.Errorf("tags(%q, %q) = %v, want %v", tt.version, tt.extra, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		opts Options
		want string
	}{
		{Options{RedisBinary: "a", Base: "b", NodeBinary: "n"}, "mutually exclusive"},
		{Options{NodeBinary: "n"}, "required"},
		{Options{RedisBinary: "a"}, "node binary is required"},
		{Options{Base: "redis:7\nRUN x", NodeBinary: "n"}, "invalid base"},
		{Options{Base: "redis:7", NodeBinary: "n", Tag: "a b"}, "invalid tag"},
		{Options{Base: "redis:7", NodeBinary: "n", RedisVersion: "7/2"}, "invalid redis version"},
		{Options{Base: "docker.io/library/redis:7.2@sha256:ab", NodeBinary: "n", Tag: "dev"}, ""},
	}
	for _, tt := range tests {
		err := tt.opts.validate()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("validate(%+v) = %v, want %q", tt.opts, err, tt.want)
		}
	}
}

func TestFindNodeBinaryFromEnv(t *testing.T) {
	p := writeStaticELF(t, goMachine())
	t.Setenv(NodeBinaryEnv, p)
	if got, err := FindNodeBinary(); err != nil || got != p {
		t.Errorf("FindNodeBinary() = %q, %v; want %q", got, err, p)
	}
	t.Setenv(NodeBinaryEnv, filepath.Join(t.TempDir(), "missing"))
	if _, err := FindNodeBinary(); err == nil || !strings.Contains(err.Error(), NodeBinaryEnv) {
		t.Errorf("missing $%s: err = %v", NodeBinaryEnv, err)
	}
}

func TestFindNodeBinaryNone(t *testing.T) {
	t.Setenv(NodeBinaryEnv, "")
	_, err := FindNodeBinary() // the test binary is neither static nor named redis-dock
	if err == nil || !strings.Contains(err.Error(), "--node-binary") || !strings.Contains(err.Error(), "make build") {
		t.Errorf("err = %v, want a hint naming make build and --node-binary", err)
	}
}

func TestFindModuleRoot(t *testing.T) {
	root, err := FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "images", "images.go")); err != nil {
		t.Errorf("root %s does not hold images/images.go", root)
	}
	if _, err := FindModuleRoot(t.TempDir()); err == nil {
		t.Error("found a module root above a temp dir")
	}
}
