package redisx

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DialSlow is Dial for connections that send long pipelines (slot moves):
// the whole pipeline's replies must arrive within read.
func DialSlow(addr string, a Auth, read time.Duration) *Node { return dial(addr, a, read) }

// SetSlots sends CLUSTER SETSLOT <slot> <action> [nodeID] for every slot in
// one pipeline. action is IMPORTING, MIGRATING, NODE or STABLE.
func (n *Node) SetSlots(ctx context.Context, slots []int, action, nodeID string) error {
	if len(slots) == 0 {
		return nil
	}
	cmds := make([][]any, len(slots))
	for i, s := range slots {
		cmds[i] = []any{"CLUSTER", "SETSLOT", s, action}
		if nodeID != "" {
			cmds[i] = append(cmds[i], nodeID)
		}
	}
	for i, r := range n.Pipeline(ctx, cmds...) {
		if r.Err != nil {
			return fmt.Errorf("CLUSTER SETSLOT %d %s on %s: %w", slots[i], action, n.Addr, r.Err)
		}
	}
	return nil
}

// CountKeysInSlots returns CLUSTER COUNTKEYSINSLOT for every slot, in one
// pipeline.
func (n *Node) CountKeysInSlots(ctx context.Context, slots []int) ([]int64, error) {
	cmds := make([][]any, len(slots))
	for i, s := range slots {
		cmds[i] = []any{"CLUSTER", "COUNTKEYSINSLOT", s}
	}
	out := make([]int64, len(slots))
	for i, r := range n.Pipeline(ctx, cmds...) {
		v, err := integer(r.Val, r.Err)
		if err != nil {
			return nil, fmt.Errorf("CLUSTER COUNTKEYSINSLOT %d on %s: %w", slots[i], n.Addr, err)
		}
		out[i] = v
	}
	return out, nil
}

// SlotKeys is one slot and some of its keys.
type SlotKeys struct {
	Slot int
	Keys []string
}

// Target is where MIGRATE sends keys: the receiving node's address on the
// nodes' own network, and the user ("": default) and password it wants.
type Target struct {
	Host     string
	Port     int
	User     string
	Password string
	Timeout  time.Duration // MIGRATE's I/O timeout
}

// MigrateAndList sends, in one pipeline, one MIGRATE ... REPLACE KEYS per
// entry of batches (keys of one slot each: MIGRATE refuses keys of several
// slots), then CLUSTER GETKEYSINSLOT <slot> <count> for every slot in list.
// It returns the keys still left in the listed slots, empty slots left out.
// Listing after migrating on the same connection sees the migrations done.
// REPLACE is right during a move: while a key exists at the source, the
// source serves it, so the source's copy is the current one.
func (n *Node) MigrateAndList(ctx context.Context, t Target, batches []SlotKeys, list []int, count int) ([]SlotKeys, error) {
	cmds := make([][]any, 0, len(batches)+len(list))
	for _, b := range batches {
		cmds = append(cmds, migrateArgs(t, b.Keys))
	}
	for _, s := range list {
		cmds = append(cmds, []any{"CLUSTER", "GETKEYSINSLOT", s, count})
	}
	replies := n.Pipeline(ctx, cmds...)
	for i, r := range replies[:len(batches)] {
		if r.Err != nil {
			return nil, fmt.Errorf("MIGRATE of %d keys of slot %d from %s to %s:%d: %w", len(batches[i].Keys), batches[i].Slot, n.Addr, t.Host, t.Port, r.Err)
		}
	}
	var left []SlotKeys
	for i, r := range replies[len(batches):] {
		keys, err := stringList(r.Val, r.Err)
		if err != nil {
			return nil, fmt.Errorf("CLUSTER GETKEYSINSLOT %d on %s: %w", list[i], n.Addr, err)
		}
		if len(keys) > 0 {
			left = append(left, SlotKeys{Slot: list[i], Keys: keys})
		}
	}
	return left, nil
}

func migrateArgs(t Target, keys []string) []any {
	args := []any{"MIGRATE", t.Host, strconv.Itoa(t.Port), "", 0, t.Timeout.Milliseconds(), "REPLACE"}
	if t.User != "" {
		args = append(args, "AUTH2", t.User, t.Password)
	} else if t.Password != "" {
		args = append(args, "AUTH", t.Password)
	}
	args = append(args, "KEYS")
	for _, k := range keys {
		args = append(args, k)
	}
	return args
}

// Forget sends CLUSTER FORGET; a node already unknown counts as forgotten.
func (n *Node) Forget(ctx context.Context, id string) error {
	_, err := n.Command(ctx, "CLUSTER", "FORGET", id)
	if err != nil && !strings.Contains(err.Error(), "Unknown node") {
		return fmt.Errorf("CLUSTER FORGET %s on %s: %w", id, n.Addr, err)
	}
	return nil
}

// ResetSoft turns a replica into an empty master that knows no other node
// (CLUSTER RESET SOFT keeps its ID); its data is flushed.
func (n *Node) ResetSoft(ctx context.Context) error {
	if _, err := n.Command(ctx, "CLUSTER", "RESET", "SOFT"); err != nil {
		return fmt.Errorf("CLUSTER RESET SOFT on %s: %w", n.Addr, err)
	}
	return nil
}

// AddSlots assigns single slots to this node (CLUSTER ADDSLOTS).
func (n *Node) AddSlots(ctx context.Context, slots []int) error {
	args := []any{"CLUSTER", "ADDSLOTS"}
	for _, s := range slots {
		args = append(args, s)
	}
	if _, err := n.Command(ctx, args...); err != nil {
		return fmt.Errorf("CLUSTER ADDSLOTS on %s: %w", n.Addr, err)
	}
	return nil
}

// IsMasterDown reports the error CLUSTER FAILOVER gives without FORCE
// when the replica's master is down or failed.
func IsMasterDown(err error) bool {
	return err != nil && strings.Contains(err.Error(), "Master is down or failed")
}

// BumpEpoch gives this node a new, highest config epoch, so that slots it
// took by SETSLOT NODE win over an old owner's claim.
func (n *Node) BumpEpoch(ctx context.Context) error {
	if _, err := n.Command(ctx, "CLUSTER", "BUMPEPOCH"); err != nil {
		return fmt.Errorf("CLUSTER BUMPEPOCH on %s: %w", n.Addr, err)
	}
	return nil
}

// IsNotMaster reports the error SETSLOT gives on a replica. A master that
// hands over its last slot may turn into a replica of the taker on its
// own (Redis 7), which also closes its open slots.
func IsNotMaster(err error) bool {
	return err != nil && strings.Contains(err.Error(), "only with masters")
}
