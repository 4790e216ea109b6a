package redisx

import (
	"context"
	"fmt"
)

// SlotRange is one entry of CLUSTER SLOTS: a range of slots and the nodes
// a client is told serve it, master first.
type SlotRange struct {
	Start, End int
	Master     SlotNode
	Replicas   []SlotNode
}

// SlotNode is a node as CLUSTER SLOTS hands it to clients: the endpoint
// (hostname, IP or "?" when the preferred one is unknown), port and ID.
type SlotNode struct {
	Endpoint string
	Port     int
	ID       string
}

// Addr is the endpoint a client dials.
func (s SlotNode) Addr() string { return fmt.Sprintf("%s:%d", s.Endpoint, s.Port) }

// Slots returns the parsed CLUSTER SLOTS: the topology clients see.
func (n *Node) Slots(ctx context.Context) ([]SlotRange, error) {
	v, err := n.Command(ctx, "CLUSTER", "SLOTS")
	if err != nil {
		return nil, fmt.Errorf("CLUSTER SLOTS on %s: %w", n.Addr, err)
	}
	return ParseSlots(v)
}

// ParseSlots parses a CLUSTER SLOTS reply (RESP2: arrays, integers and
// strings, in either client's representation).
func ParseSlots(v any) ([]SlotRange, error) {
	entries, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("CLUSTER SLOTS: unexpected reply %T", v)
	}
	out := make([]SlotRange, 0, len(entries))
	for _, e := range entries {
		f, ok := e.([]any)
		if !ok || len(f) < 3 {
			return nil, fmt.Errorf("CLUSTER SLOTS: malformed entry %v", e)
		}
		var r SlotRange
		start, err1 := integer(f[0], nil)
		end, err2 := integer(f[1], nil)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("CLUSTER SLOTS: malformed range %v %v", f[0], f[1])
		}
		r.Start, r.End = int(start), int(end)
		for i, nv := range f[2:] {
			sn, err := parseSlotNode(nv)
			if err != nil {
				return nil, err
			}
			if i == 0 {
				r.Master = sn
			} else {
				r.Replicas = append(r.Replicas, sn)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func parseSlotNode(v any) (SlotNode, error) {
	f, ok := v.([]any)
	if !ok || len(f) < 3 {
		return SlotNode{}, fmt.Errorf("CLUSTER SLOTS: malformed node %v", v)
	}
	ep, err1 := text(f[0], nil)
	port, err2 := integer(f[1], nil)
	id, err3 := text(f[2], nil)
	if err1 != nil || err2 != nil || err3 != nil {
		return SlotNode{}, fmt.Errorf("CLUSTER SLOTS: malformed node %v", v)
	}
	return SlotNode{Endpoint: ep, Port: int(port), ID: id}, nil
}
