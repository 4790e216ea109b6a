package cluster

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/redis-dock/redis-dock/internal/status"
)

// progress prints, every interval while slots move, a status line with
// slots and keys moved, the rate and the time left.
type progress struct {
	log        *status.Logger
	totalSlots int64
	totalKeys  int64
	slots      atomic.Int64
	keys       atomic.Int64
	start      time.Time
	stopc      chan struct{}
	done       chan struct{}
}

func startProgress(log *status.Logger, slots int, keys int64, every time.Duration) *progress {
	p := &progress{log: log, totalSlots: int64(slots), totalKeys: keys, start: time.Now(),
		stopc: make(chan struct{}), done: make(chan struct{})}
	go p.loop(every)
	return p
}

func (p *progress) loop(every time.Duration) {
	defer close(p.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.stopc:
			return
		case <-t.C:
			p.log.Infof("   %s", p.line())
		}
	}
}

func (p *progress) stop() {
	close(p.stopc)
	<-p.done
}

func (p *progress) addKeys(n int)  { p.keys.Add(int64(n)) }
func (p *progress) addSlots(n int) { p.slots.Add(int64(n)) }

// line is e.g. "1024/4096 slots, 25000/100000 keys moved (31250 keys/s, about 2s left)".
func (p *progress) line() string {
	slots, keys := p.slots.Load(), p.keys.Load()
	el := time.Since(p.start)
	rate := float64(keys) / el.Seconds()
	left := "unknown"
	switch {
	case p.totalKeys > 0 && keys > 0:
		left = roundDur(time.Duration(float64(max(p.totalKeys-keys, 0)) / rate * float64(time.Second)))
	case slots > 0:
		left = roundDur(time.Duration(float64(p.totalSlots-slots) / float64(slots) * float64(el)))
	}
	return fmt.Sprintf("%d/%d slots, %d/%d keys moved (%.0f keys/s, about %s left)",
		slots, p.totalSlots, keys, p.totalKeys, rate, left)
}

func roundDur(d time.Duration) string {
	if d < time.Second {
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
