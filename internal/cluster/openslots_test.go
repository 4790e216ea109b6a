package cluster

import (
	"strings"
	"testing"
	"time"
)

func TestParseOpen(t *testing.T) {
	tests := []struct {
		entry     string
		slot      int
		importing bool
		peer      string
		ok        bool
	}{
		{"[77->-e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca]", 77, false, "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca", true},
		{"[16383-<-292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f]", 16383, true, "292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f", true},
		{"[x->-abc]", 0, false, "abc", false},
		{"[5]", 0, false, "", false},
	}
	for _, tt := range tests {
		slot, importing, peer, ok := parseOpen(tt.entry)
		if ok != tt.ok || (ok && (slot != tt.slot || importing != tt.importing || peer != tt.peer)) {
			t.Errorf("parseOpen(%q) = %d %v %q %v", tt.entry, slot, importing, peer, ok)
		}
	}
}

func TestProgressLine(t *testing.T) {
	p := &progress{totalSlots: 4096, totalKeys: 100000, start: time.Now().Add(-2 * time.Second)}
	p.addSlots(1024)
	p.addKeys(25000)
	line := p.line()
	for _, want := range []string{"1024/4096 slots", "25000/100000 keys moved", "keys/s", "about 6s left"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress line %q lacks %q", line, want)
		}
	}
}

func TestAddRange(t *testing.T) {
	got := ""
	for _, s := range []int{0, 1, 2, 5, 7, 8, 16383} {
		got = addRange(got, s)
	}
	if want := "0-2,5,7-8,16383"; got != want {
		t.Errorf("ranges %q, want %q", got, want)
	}
	if l := (LostSlots{Node: "n-7001 (abc)", Slots: "0-2", Count: 3, Kept: 4}).String(); !strings.Contains(l, "3 slots (0-2)") || !strings.Contains(l, "n-7001") || !strings.Contains(l, "4 keys") {
		t.Errorf("lost slots read %q", l)
	}
}
