package docker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Object is one engine object a run created.
type Object struct{ ID, Name string }

// Made records what one run created, as it goes (from many goroutines),
// so that undoing the run removes exactly that, by ID, and nothing that
// another run of the same cluster made.
type Made struct {
	mu         sync.Mutex
	containers []Object
	networks   []Object
	volumes    []string
}

// Container records a container the run created.
func (m *Made) Container(id, name string) {
	if id == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.containers = append(m.containers, Object{ID: id, Name: name})
}

// Network records a network the run created.
func (m *Made) Network(id, name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.networks = append(m.networks, Object{ID: id, Name: name})
}

// Volume records a volume the run created.
func (m *Made) Volume(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.volumes = append(m.volumes, name)
}

// Empty reports whether the run created nothing.
func (m *Made) Empty() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.containers)+len(m.networks)+len(m.volumes) == 0
}

// String lists what was made: "containers a b; network n; volumes v w".
func (m *Made) String() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var parts []string
	add := func(kind string, names []string) {
		if len(names) == 1 {
			parts = append(parts, kind+" "+names[0])
		} else if len(names) > 1 {
			parts = append(parts, kind+"s "+strings.Join(names, " "))
		}
	}
	add("container", objectNames(m.containers))
	add("network", objectNames(m.networks))
	add("volume", m.volumes)
	return strings.Join(parts, "; ")
}

func objectNames(objs []Object) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = o.Name
	}
	return out
}

// RemoveMade removes what m records, by ID: the containers, then the
// networks, then the volumes. Missing things are not errors.
func (c *Client) RemoveMade(ctx context.Context, m *Made) error {
	m.mu.Lock()
	cts, nets, vols := m.containers, m.networks, m.volumes
	m.mu.Unlock()
	list := make([]Container, len(cts))
	for i, ct := range cts {
		list[i] = Container{ID: ct.ID, Name: ct.Name}
	}
	if err := c.removeEach(ctx, list); err != nil { // each released its endpoints first
		return err
	}
	var errs []error
	for _, n := range nets {
		err := c.removeNetwork(ctx, n.ID)
		if err != nil && strings.Contains(err.Error(), "active endpoints") {
			err = fmt.Errorf("%w (%w: remove it with 'docker network rm %s' after restarting dockerd)", err, ErrStaleEndpoints, n.Name)
		}
		if err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("failed to remove network %s: %w", n.Name, err))
		}
	}
	for _, v := range vols {
		errs = append(errs, c.RemoveVolume(ctx, v))
	}
	return errors.Join(errs...)
}
