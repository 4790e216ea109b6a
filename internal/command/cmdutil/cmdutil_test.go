package cmdutil

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestHealth(t *testing.T) {
	for _, c := range []struct {
		healthy bool
		err     error
		want    string
	}{{true, nil, "healthy"}, {false, nil, "unhealthy"}, {false, errors.New("no"), "unknown"}} {
		if got := Health(c.healthy, c.err); got != c.want {
			t.Errorf("Health(%v, %v) = %q, want %q", c.healthy, c.err, got, c.want)
		}
	}
}

func TestVerdict(t *testing.T) {
	errCode := errors.New("exit 2")
	exit := func(code int) error {
		if code != 2 {
			t.Fatalf("exit code %d, want 2", code)
		}
		return errCode
	}
	for _, c := range []struct {
		json, healthy bool
		out           string
		err           error
	}{
		{false, true, "table\n", nil},
		{false, false, "table\n", errCode},
		{true, true, "{\n  \"A\": 1\n}\n", nil},
		{true, false, "{\n  \"A\": 1\n}\n", errCode},
	} {
		var b bytes.Buffer
		err := Verdict{JSON: c.json, Value: struct{ A int }{1}, Table: func() { b.WriteString("table\n") },
			Healthy: c.healthy, ExitCode: exit, Code: 2}.Print(&b)
		if b.String() != c.out || err != c.err {
			t.Errorf("json=%v healthy=%v: wrote %q, %v; want %q, %v", c.json, c.healthy, b.String(), err, c.out, c.err)
		}
	}
}

func TestWriteOut(t *testing.T) {
	var b bytes.Buffer
	if err := WriteOut(&b, "", []byte("x")); err != nil || b.String() != "x" {
		t.Fatalf("stdout: %q, %v", b.String(), err)
	}
	path := filepath.Join(t.TempDir(), "f.yml")
	if err := WriteOut(&b, path, []byte("y")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "y" || b.String() != "x" {
		t.Fatalf("file %q, stdout %q", data, b.String())
	}
	if err := WriteOut(&b, filepath.Join(path, "sub"), nil); err == nil {
		t.Fatal("want an error naming --out")
	}
}
