// Package flags binds the cluster spec's flags, shared by up and the
// commands that render configs, so a flag means the same everywhere.
package flags

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/redis-dock/redis-dock/internal/spec"
)

// SpecFlags holds the flag values and the optional spec file.
type SpecFlags struct {
	s    spec.Spec
	file string
}

// NewSpecFlags starts from the defaults.
func NewSpecFlags() *SpecFlags { return &SpecFlags{s: spec.Default()} }

// Register adds the spec flags to cmd: -f and a flag per row of
// spec.Fields, defaulting to spec.Default().
func (f *SpecFlags) Register(cmd *cobra.Command) { f.register(cmd, false) }

// RegisterSwarm is Register for the Swarm commands (stack render, swarm
// up): their rows (Field.Swarm) too.
func (f *SpecFlags) RegisterSwarm(cmd *cobra.Command) { f.register(cmd, true) }

func (f *SpecFlags) register(cmd *cobra.Command, swarm bool) {
	fs := cmd.Flags()
	fs.StringVarP(&f.file, "file", "f", "", "read the spec from a YAML file (flags override it)")
	for _, fl := range spec.Fields {
		if fl.Swarm && !swarm {
			continue
		}
		bind(fs, fl.Ptr(&f.s), fl.Flag, fl.Usage)
	}
}

// bind adds a flag bound to the field p, its default the field's value.
func bind(fs *pflag.FlagSet, p any, name, usage string) {
	switch p := p.(type) {
	case *string:
		fs.StringVar(p, name, *p, usage)
	case *int:
		fs.IntVar(p, name, *p, usage)
	case *bool:
		fs.BoolVar(p, name, *p, usage)
	case *time.Duration:
		fs.DurationVar(p, name, *p, usage)
	case *[]string:
		fs.StringArrayVar(p, name, *p, usage)
	default:
		panic(fmt.Sprintf("flags: --%s has a field of unsupported type %T", name, p))
	}
}

// Spec returns the spec: defaults, then the file, then flags the user set.
func (f *SpecFlags) Spec(cmd *cobra.Command) (spec.Spec, error) {
	if f.file == "" {
		return withModeDefaults(cmd, f.s, cmd.Flags().Changed("masters"))
	}
	fromFile, err := spec.LoadFile(f.file, spec.Default())
	if err != nil {
		return f.s, err
	}
	out := fromFile
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if row, ok := spec.FieldByFlag(fl.Name); ok {
			row.Copy(&out, &f.s)
		}
	})
	return withModeDefaults(cmd, out, cmd.Flags().Changed("masters") || fileSets(f.file, "masters"))
}
