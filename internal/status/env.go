package status

import "io"

// Env is what every command gets from the root: the logger (set up after
// the global -v / -q flags are parsed) and where results go.
type Env struct {
	Logger *Logger
	Stdout io.Writer
}
