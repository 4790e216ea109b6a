package provision

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/redisx"
	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/templates"
)

// ConfigChange is one directive whose value differs between a node's
// old and new redis.conf.
type ConfigChange struct {
	Key   string
	Value string // the new arguments, joined as CONFIG SET takes them
}

// ConfigChanges compares two rendered configs of one node: directives
// that appear once in the new one with another value can be set at
// runtime (if Redis allows it, see RuntimeSettable); directives removed,
// or given more than once (save, rename-command), need a restart.
func ConfigChanges(old, new []byte) (set []ConfigChange, restart []string) {
	o, n := directives(old), directives(new)
	for _, k := range sortedKeys(n) {
		if slices.Equal(o[k], n[k]) {
			continue
		}
		if len(n[k]) == 1 && len(o[k]) <= 1 {
			set = append(set, ConfigChange{Key: k, Value: n[k][0]})
		} else {
			restart = append(restart, k)
		}
	}
	for _, k := range sortedKeys(o) {
		if _, kept := n[k]; !kept {
			restart = append(restart, k)
		}
	}
	sort.Strings(restart)
	return set, restart
}

// directives maps each directive of a config (lower case) to the
// arguments of each of its lines.
func directives(conf []byte) map[string][]string {
	out := map[string][]string{}
	for _, line := range strings.Split(string(conf), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		args, err := templates.SplitArgs(line)
		if err != nil || len(args) == 0 {
			continue
		}
		k := strings.ToLower(args[0])
		out[k] = append(out[k], strings.Join(args[1:], " "))
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// RuntimeSettable splits changes into those node n accepts at runtime
// and those it refuses (immutable or protected settings): each is tried
// by setting it to the value it has now, which changes nothing.
func RuntimeSettable(ctx context.Context, n *redisx.Node, changes []ConfigChange) (ok []ConfigChange, refused []string, err error) {
	for _, c := range changes {
		cur, err := n.Command(ctx, "CONFIG", "GET", c.Key)
		if err != nil {
			return nil, nil, fmt.Errorf("CONFIG GET %s on %s: %w", c.Key, n.Addr, err)
		}
		kv, _ := cur.([]any)
		if len(kv) < 2 { // Redis does not know it: only a restart reads it
			refused = append(refused, c.Key)
			continue
		}
		if _, err := n.Command(ctx, "CONFIG", "SET", c.Key, kv[1]); err != nil {
			refused = append(refused, c.Key)
			continue
		}
		ok = append(ok, c)
	}
	return ok, refused, nil
}

// SetRuntime sets the changes on n and has it rewrite its own config
// file (the copy in its container), so a restart keeps them.
func SetRuntime(ctx context.Context, n *redisx.Node, changes []ConfigChange) error {
	for _, c := range changes {
		if _, err := n.Command(ctx, "CONFIG", "SET", c.Key, c.Value); err != nil {
			return fmt.Errorf("CONFIG SET %s %s on %s: %w", c.Key, c.Value, n.Addr, err)
		}
	}
	if _, err := n.Command(ctx, "CONFIG", "REWRITE"); err != nil {
		return fmt.Errorf("CONFIG REWRITE on %s: %w", n.Addr, err)
	}
	return nil
}

// SetLive gives the node in container c (reached through n) the changes
// at runtime, under a status line, and records want in its container
// (SpecPath), so the next plan sees it current; res.SetLive names it.
func SetLive(ctx context.Context, o Options, c docker.Container, n *redisx.Node, changes []ConfigChange, want spec.Spec, res *UpgradeResult) error {
	keys := make([]string, len(changes))
	for i, ch := range changes {
		keys[i] = ch.Key
	}
	st := o.Log().Start("Setting %s on %s at runtime (no restart)", strings.Join(keys, ", "), c.Name)
	defer st.End(false)
	if err := SetRuntime(ctx, n, changes); err != nil {
		return err
	}
	if err := WriteSpecFile(ctx, o.Docker, []docker.Container{c}, want); err != nil {
		return err
	}
	res.SetLive = append(res.SetLive, c.Name)
	st.End(true)
	return nil
}

// NodeAction is what an upgrade does to one node.
type NodeAction int

const (
	KeepNode    NodeAction = iota // on the new image and settings already
	SetNode                       // CONFIG SET + CONFIG REWRITE, no restart
	ReplaceNode                   // a new container on the same volume
)

// DecideNode says what the node in container c (reached through n) needs
// to run want on image imageID: nothing when it does already, or when
// nothing its config renders differs; the new settings at runtime
// (returned) when only settings Redis takes at runtime changed and runtime
// allows it (sentinels take no CONFIG SET of data-node settings); else a
// new container. render renders the node's config from a spec. It records
// in res the node as skipped (unless res.Replaced names it: made again by
// this run), the settings set at runtime and those that need a restart.
func DecideNode(ctx context.Context, d *docker.Client, c docker.Container, n *redisx.Node, imageID string, want spec.Spec,
	render func(spec.Spec) ([]byte, error), runtime bool, res *UpgradeResult) (NodeAction, []ConfigChange, error) {
	keep := func() (NodeAction, []ConfigChange, error) {
		if !slices.Contains(res.Replaced, c.Name) {
			res.Skipped = AddOnce(res.Skipped, c.Name)
		}
		return KeepNode, nil, nil
	}
	same := SameContainer(c, imageID, want)
	old, hash := NodeConfig(ctx, d, c, want.Password)
	if same && hash == ConfigHash(want) {
		return keep()
	}
	oldConf, err := render(old)
	if err != nil {
		return ReplaceNode, nil, err
	}
	newConf, err := render(want)
	if err != nil {
		return ReplaceNode, nil, err
	}
	set, restart := ConfigChanges(oldConf, newConf)
	if same && len(set) == 0 && len(restart) == 0 {
		return keep()
	}
	action, changes := ReplaceNode, []ConfigChange(nil)
	if runtime && len(restart) == 0 && len(set) > 0 {
		ok, refused, err := RuntimeSettable(ctx, n, set)
		if err != nil {
			return ReplaceNode, nil, err
		}
		restart = refused
		if same && len(refused) == 0 {
			action, changes = SetNode, ok
			for _, c := range ok {
				res.Runtime = AddOnce(res.Runtime, c.Key)
			}
		}
	}
	for _, k := range restart {
		res.Restart = AddOnce(res.Restart, k)
	}
	return action, changes, nil
}
