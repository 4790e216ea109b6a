// Package cmdutil holds what several commands share: the --name flag,
// parent commands, and how results are written (JSON, a health verdict,
// a rendered file). It does not import the Docker SDK, so that the
// in-image commands can use it (package engine connects to Docker).
package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// DefaultName is --name's default for clusters.
const DefaultName = "default"

// NameFlag registers --name (default DefaultName) in fs.
func NameFlag(fs *pflag.FlagSet, name *string, usage string) {
	fs.StringVar(name, "name", DefaultName, usage)
}

// Group returns a parent command, such as `compose`, holding subs.
func Group(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short}
	cmd.AddCommand(subs...)
	return cmd
}

// PrintJSON writes v as indented JSON.
func PrintJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Verdict is what a status command shows: v as JSON, or else table; then
// a non-zero exit code (exitCode(code)) unless healthy.
type Verdict struct {
	JSON     bool
	Value    any
	Table    func()
	Healthy  bool
	ExitCode func(int) error
	Code     int
}

// Print writes the verdict to w and returns the error that carries its
// exit code.
func (v Verdict) Print(w io.Writer) error {
	if v.JSON {
		if err := PrintJSON(w, v.Value); err != nil {
			return err
		}
	} else {
		v.Table()
	}
	if !v.Healthy {
		return v.ExitCode(v.Code)
	}
	return nil
}

// Health is a STATE word for a status that was (or failed to be) read.
func Health(healthy bool, err error) string {
	switch {
	case err != nil:
		return "unknown"
	case healthy:
		return "healthy"
	default:
		return "unhealthy"
	}
}

// WriteOut writes data to the file out (the --out flag), or to w when out
// is empty.
func WriteOut(w io.Writer, out string, data []byte) error {
	if out == "" {
		_, err := w.Write(data)
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	return nil
}
