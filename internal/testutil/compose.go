package testutil

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// LoadProject reads a rendered compose or stack file (yml, as file in dir)
// back with compose-go's loader, as project name: what docker compose and
// docker stack deploy would read.
func LoadProject(t testing.TB, dir, file string, yml []byte, name string) *types.Project {
	t.Helper()
	pr, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, file), Content: yml}},
		Environment: types.Mapping{},
	}, func(o *loader.Options) { o.SetProjectName(name, true) })
	if err != nil {
		t.Fatalf("compose-go cannot load %s: %v\n%s", file, err, yml)
	}
	return pr
}
