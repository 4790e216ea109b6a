// Package status prints kind-style status lines (✓ / ✗ with the step's time)
// and levelled log lines, to stderr, so stdout stays for results.
package status

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Logger prints status lines and levelled messages. The zero value is not
// usable; create it with NewLogger. A nil *Logger discards everything.
type Logger struct {
	mu        sync.Mutex
	w         io.Writer
	verbosity int
	quiet     bool
}

// NewLogger returns a logger writing to w; verbosity 0 shows status lines,
// higher levels show V(n) messages too; quiet hides everything but errors.
func NewLogger(w io.Writer, verbosity int, quiet bool) *Logger {
	return &Logger{w: w, verbosity: verbosity, quiet: quiet}
}

// Discard returns a logger that prints nothing.
func Discard() *Logger { return NewLogger(io.Discard, 0, true) }

// Default returns a logger on stderr at verbosity 0.
func Default() *Logger { return NewLogger(os.Stderr, 0, false) }

// V prints a message when the verbosity is at least level.
func (l *Logger) V(level int, format string, args ...any) {
	if l == nil || l.quiet || l.verbosity < level {
		return
	}
	l.printf(format+"\n", args...)
}

// Infof prints a message unless quiet.
func (l *Logger) Infof(format string, args ...any) { l.V(0, format, args...) }

// Warnf prints a warning, even when quiet.
func (l *Logger) Warnf(format string, args ...any) {
	if l == nil {
		return
	}
	l.printf("WARNING: "+format+"\n", args...)
}

func (l *Logger) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}

// Status is one step's line: Start it, then End it with the outcome.
type Status struct {
	l     *Logger
	msg   string
	start time.Time
	done  bool
}

// Start begins a step; the line is printed when the step ends.
func (l *Logger) Start(format string, args ...any) *Status {
	s := &Status{l: l, msg: fmt.Sprintf(format, args...), start: time.Now()}
	l.V(1, " • %s ...", s.msg)
	return s
}

// Done ends the step with ✓ when err is nil (and leaves it to the
// deferred End(false) otherwise) and returns err: a step's last line is
// `return st.Done(g.Wait())`.
func (s *Status) Done(err error) error {
	if err == nil {
		s.End(true)
	}
	return err
}

// End prints the step's line with ✓ or ✗ and its duration; later calls do
// nothing, so `defer s.End(false)` after an explicit End(true) is safe.
func (s *Status) End(ok bool) {
	if s == nil || s.done {
		return
	}
	s.done = true
	mark := "✓"
	if !ok {
		mark = "✗"
	}
	d := time.Since(s.start).Round(time.Millisecond)
	if ok {
		s.l.Infof(" %s %s (%s)", mark, s.msg, d)
		return
	}
	if s.l != nil {
		s.l.printf(" %s %s (%s)\n", mark, s.msg, d)
	}
}
