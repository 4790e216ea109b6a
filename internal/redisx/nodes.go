// Package redisx is the only importer of go-redis outside tests: the admin
// calls that building and checking a cluster need, and parsers for their
// replies.
package redisx

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ClusterNode is one line of CLUSTER NODES.
type ClusterNode struct {
	ID          string
	IP          string
	Port        int
	BusPort     int
	Hostname    string
	Flags       []string
	MasterID    string // "" for masters
	ConfigEpoch int64
	Connected   bool
	Slots       [][2]int // inclusive ranges
	Open        []string // [slot->-id] / [slot-<-id] entries
}

// Has reports whether the node carries a flag (myself, master, fail, ...).
func (n ClusterNode) Has(flag string) bool {
	for _, f := range n.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// IsMaster reports whether the node is a master.
func (n ClusterNode) IsMaster() bool { return n.Has("master") }

// Failing reports whether the node is flagged failing or possibly so.
func (n ClusterNode) Failing() bool { return n.Has("fail") || n.Has("fail?") }

// SlotCount is the number of slots the node serves.
func (n ClusterNode) SlotCount() int {
	c := 0
	for _, r := range n.Slots {
		c += r[1] - r[0] + 1
	}
	return c
}

// SlotString renders the slot ranges as "0-5460 6000".
func (n ClusterNode) SlotString() string {
	parts := make([]string, 0, len(n.Slots))
	for _, r := range n.Slots {
		if r[0] == r[1] {
			parts = append(parts, strconv.Itoa(r[0]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", r[0], r[1]))
		}
	}
	return strings.Join(parts, " ")
}

// ParseNodes parses a CLUSTER NODES reply.
func ParseNodes(s string) ([]ClusterNode, error) {
	var out []ClusterNode
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		n, err := parseNodeLine(line)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func parseNodeLine(line string) (ClusterNode, error) {
	f := strings.Fields(line)
	if len(f) < 8 {
		return ClusterNode{}, fmt.Errorf("malformed CLUSTER NODES line %q", line)
	}
	n := ClusterNode{ID: f[0], Flags: strings.Split(f[2], ","), Connected: f[7] == "connected"}
	if f[3] != "-" {
		n.MasterID = f[3]
	}
	n.ConfigEpoch, _ = strconv.ParseInt(f[6], 10, 64)
	addr := f[1]
	if i := strings.IndexByte(addr, ','); i >= 0 {
		n.Hostname = addr[i+1:]
		addr = addr[:i]
	}
	if i := strings.IndexByte(addr, '@'); i >= 0 {
		n.BusPort, _ = strconv.Atoi(addr[i+1:])
		addr = addr[:i]
	}
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		n.IP = addr[:i]
		n.Port, _ = strconv.Atoi(addr[i+1:])
	}
	for _, s := range f[8:] {
		if strings.HasPrefix(s, "[") {
			n.Open = append(n.Open, s)
			continue
		}
		r, err := parseRange(s)
		if err != nil {
			return n, fmt.Errorf("malformed slot %q in %q: %w", s, line, err)
		}
		n.Slots = append(n.Slots, r)
	}
	return n, nil
}

// ParseSlotString reads what SlotString renders back into ranges.
func ParseSlotString(s string) ([][2]int, error) {
	var out [][2]int
	for _, f := range strings.Fields(s) {
		r, err := parseRange(f)
		if err != nil {
			return nil, fmt.Errorf("malformed slot range %q: %w", f, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func parseRange(s string) ([2]int, error) {
	a, b, found := strings.Cut(s, "-")
	lo, err := strconv.Atoi(a)
	if err != nil {
		return [2]int{}, err
	}
	hi := lo
	if found {
		if hi, err = strconv.Atoi(b); err != nil {
			return [2]int{}, err
		}
	}
	return [2]int{lo, hi}, nil
}

// Myself returns the line flagged "myself".
func Myself(nodes []ClusterNode) (ClusterNode, bool) {
	for _, n := range nodes {
		if n.Has("myself") {
			return n, true
		}
	}
	return ClusterNode{}, false
}

// SlotMap renders who owns which slots, as seen by one node, in a form
// that compares equal across nodes that agree.
func SlotMap(nodes []ClusterNode) string {
	var parts []string
	for _, n := range nodes {
		if n.IsMaster() && len(n.Slots) > 0 {
			parts = append(parts, n.ID+"="+n.SlotString())
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

// ParseInfo parses an INFO / CLUSTER INFO reply into fields.
func ParseInfo(s string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = v
		}
	}
	return out
}
