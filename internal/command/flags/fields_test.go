package flags

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// TestEveryFlagOverridesFile checks each row of spec.Fields end to end: a
// spec file sets another field, the flag overrides its own; the result
// keeps both, and Diff against the file's spec names the flag exactly
// when the row says the field changes the cluster.
func TestEveryFlagOverridesFile(t *testing.T) {
	for _, row := range spec.Fields {
		t.Run(row.Flag, func(t *testing.T) {
			key, keyVal := "replicas", 2
			if row.Flag == key {
				key, keyVal = "masters", 4
			}
			file := filepath.Join(t.TempDir(), "spec.yaml")
			if err := os.WriteFile(file, []byte(fmt.Sprintf("%s: %d\n", key, keyVal)), 0o600); err != nil {
				t.Fatal(err)
			}
			orig, err := parse([]string{"-f", file})
			if err != nil {
				t.Fatal(err)
			}
			def := spec.Default()
			arg, want := other(row.Ptr(&def))
			got, err := parse([]string{"-f", file, "--" + row.Flag + "=" + arg})
			if err != nil {
				t.Fatal(err)
			}
			if v := reflect.ValueOf(row.Ptr(&got)).Elem().Interface(); !reflect.DeepEqual(v, want) {
				t.Errorf("--%s=%s over -f: field is %v, want %v", row.Flag, arg, v, want)
			}
			if kept, _ := spec.FieldByFlag(key); fmt.Sprint(kept.Value(got)) != fmt.Sprint(keyVal) {
				t.Errorf("--%s lost the file's %s: %d", row.Flag, key, keyVal)
			}
			d := got.Diff(orig)
			if row.Drift && !strings.HasPrefix(d, "--"+row.Flag+" ") {
				t.Errorf("Diff = %q, want it to name --%s", d, row.Flag)
			}
			if !row.Drift && d != "" {
				t.Errorf("Diff = %q, want none: --%s does not change a cluster", d, row.Flag)
			}
		})
	}
}

// other returns a flag argument and the field value it gives, unlike the
// default the field p holds.
func other(p any) (string, any) {
	switch p := p.(type) {
	case *string:
		return "x" + *p + "y", "x" + *p + "y"
	case *int:
		return fmt.Sprint(*p + 3), *p + 3
	case *bool:
		return fmt.Sprint(!*p), !*p
	case *time.Duration:
		return (*p + time.Second).String(), *p + time.Second
	case *[]string:
		return "maxmemory 1mb", []string{"maxmemory 1mb"}
	}
	panic(fmt.Sprintf("no test value for %T", p))
}
