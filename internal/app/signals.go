package app

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// interrupts cancels the returned context on the first SIGINT or SIGTERM,
// so a command stops and undoes what it made; a second signal exits at
// once. got returns the first signal's number (0 when none came).
func interrupts() (ctx context.Context, got func() int, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var first atomic.Int32
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-ch:
				n := int32(s.(syscall.Signal))
				if !first.CompareAndSwap(0, n) {
					fmt.Fprintf(os.Stderr, "ERROR: %s again: exiting without cleaning up\n", signalName(int(n)))
					os.Exit(128 + int(n))
				}
				fmt.Fprintf(os.Stderr, "Interrupted (%s): stopping and cleaning up; send it again to exit at once\n", signalName(int(n)))
				cancel()
			}
		}
	}()
	return ctx, func() int { return int(first.Load()) }, func() {
		signal.Stop(ch)
		close(done)
		cancel()
	}
}

// interruptCode is the exit code of a run that a signal stopped: 128 plus
// the signal's number (130 for SIGINT, 143 for SIGTERM), as shells report.
func interruptCode(sig int) int { return 128 + sig }

// signalName is SIGINT or SIGTERM, as users send them.
func signalName(sig int) string {
	switch syscall.Signal(sig) {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return syscall.Signal(sig).String()
}
