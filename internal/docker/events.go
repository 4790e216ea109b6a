package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/docker/docker/api/types/events"
)

// Event is one thing the engine did to one object.
type Event struct {
	Type, Action, ID string
	Attributes       map[string]string // the object's name and labels, among others
	Time             time.Time
}

// Events returns what the engine did between since and until (until must
// not be in the future, or the call waits for it): the witness that a
// refused command created nothing at all.
func (c *Client) Events(ctx context.Context, since, until time.Time) ([]Event, error) {
	msgs, errs := c.api.Events(ctx, events.ListOptions{Since: stamp(since), Until: stamp(until)})
	var out []Event
	for {
		select {
		case m := <-msgs:
			out = append(out, Event{Type: string(m.Type), Action: string(m.Action), ID: m.Actor.ID,
				Attributes: m.Actor.Attributes, Time: time.Unix(0, m.TimeNano)})
		case err := <-errs:
			if err == nil || errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, fmt.Errorf("failed to read engine events: %w", err)
		}
	}
}

// stamp writes t as the engine's seconds.nanoseconds.
func stamp(t time.Time) string { return fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond()) }
