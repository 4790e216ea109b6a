package spec

import (
	"reflect"
	"strings"
	"testing"
)

// TestFieldsCoverSpec checks that every Spec field has one row in Fields
// and that its flag is its YAML key, so a file and the flags read alike.
func TestFieldsCoverSpec(t *testing.T) {
	var s Spec
	v := reflect.ValueOf(&s).Elem()
	rows := map[string]bool{}
	for _, f := range Fields {
		if rows[f.Flag] {
			t.Errorf("--%s has two rows", f.Flag)
		}
		rows[f.Flag] = true
	}
	for i := 0; i < v.NumField(); i++ {
		sf := v.Type().Field(i)
		var found []string
		for _, f := range Fields {
			p := reflect.ValueOf(f.Ptr(&s))
			if p.Pointer() == v.Field(i).Addr().Pointer() && p.Type().Elem() == sf.Type {
				found = append(found, f.Flag)
			}
		}
		if len(found) != 1 {
			t.Errorf("Spec.%s has rows %v in Fields, want one", sf.Name, found)
			continue
		}
		if key := strings.Split(sf.Tag.Get("yaml"), ",")[0]; key != "-" && key != found[0] {
			t.Errorf("Spec.%s: YAML key %q, flag --%s: they should match", sf.Name, key, found[0])
		}
	}
}

func TestDiff(t *testing.T) {
	a := Default()
	if d := a.Diff(a); d != "" {
		t.Errorf("Diff of equal specs = %q", d)
	}
	b := a
	b.BusPort = a.Port + 10000
	if d := a.Diff(b); d != "" {
		t.Errorf("Diff with the default bus port spelled out = %q, want none", d)
	}
	b.Config = []string{"maxmemory 1mb"}
	if d, want := b.Diff(a), "--config is [maxmemory 1mb], the running cluster has []"; d != want {
		t.Errorf("Diff = %q, want %q", d, want)
	}
}
