package provision

import (
	"context"
	"fmt"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/topology"
)

// Existing is what a second `up` found: the cluster's containers and the
// spec they carry (each topology knows where it keeps its current one).
type Existing struct {
	Containers []docker.Container
	Spec       spec.Spec
	Labelled   bool   // the containers carry a readable spec
	Noun       string // what the containers are called in messages
	Instead    string // what to do instead of `down` when the spec differs, "" none
}

// Confirm checks a second `up` of s against the containers that exist:
// the same spec, as many as nodes, the same password (filled into s).
// Then it starts the stopped ones and reads the nodes' addresses into
// nodes; the topology goes on to check health.
func Confirm(ctx context.Context, o Options, s *spec.Spec, e Existing, nodes []topology.Node) error {
	if !e.Labelled {
		return fmt.Errorf("cluster %q exists but carries no readable spec label; remove it with `redis-dock down --name %s`", s.Name, s.Name)
	}
	if d := s.Diff(e.Spec); d != "" {
		return fmt.Errorf("cluster %q already exists with another spec: %s (%sremove it with `redis-dock down --name %s`)", s.Name, d, e.Instead, s.Name)
	}
	if len(e.Containers) != len(nodes) {
		return fmt.Errorf("cluster %q is incomplete: %d of %d %s exist; remove it with `redis-dock down --name %s` and run up again", s.Name, len(e.Containers), len(nodes), e.Noun, s.Name)
	}
	if err := confirmPassword(ctx, o, s, e.Containers); err != nil {
		return err
	}
	if err := startStopped(ctx, o, e.Containers); err != nil {
		return err
	}
	return ReadAddresses(ctx, o, *s, nodes)
}

// confirmPassword reads the password the nodes have into s, refusing
// another one given with --password or --password-file.
func confirmPassword(ctx context.Context, o Options, s *spec.Spec, existing []docker.Container) error {
	pw, err := ReadPassword(ctx, o.Docker, existing)
	if err != nil {
		return err
	}
	if s.PasswordFile != "" || s.Password != "" {
		if _, err := s.ResolvePassword(); err != nil {
			return err
		}
		if s.Password != pw {
			return fmt.Errorf("--password: cluster %q already exists with another password", s.Name)
		}
	}
	s.Password = pw
	s.UserPasswords, err = ReadUserPasswords(ctx, o.Docker, *s, existing)
	return err
}

func startStopped(ctx context.Context, o Options, existing []docker.Container) error {
	for _, c := range existing {
		if c.Running() {
			continue
		}
		o.Log().Infof(" • Starting stopped node %s", c.Name)
		if err := o.Docker.Start(ctx, c.ID); err != nil {
			return err
		}
	}
	return nil
}
