package topology

import "testing"

// TestKeySlot checks against CLUSTER KEYSLOT of redis-server 7.0.
func TestKeySlot(t *testing.T) {
	for key, want := range map[string]int{
		"foo": 12182, "bar": 5061, "hello": 866, "somekey": 11058, "cart:1": 1420,
		"{user1000}.following": 3443, "foo{}{bar}": 8363, "foo{{bar}}zap": 4015,
		"foo{bar}{zap}": 5061, "": 0, "a{b": 13340,
	} {
		if got := KeySlot(key); got != want {
			t.Errorf("KeySlot(%q) = %d, want %d", key, got, want)
		}
	}
}

func TestKeyInSlot(t *testing.T) {
	for _, slot := range []int{0, 1, 866, 12182, SlotCount - 1} {
		if k := KeyInSlot("p", slot); KeySlot(k) != slot {
			t.Errorf("KeyInSlot(p, %d) = %q in slot %d", slot, k, KeySlot(k))
		}
	}
}
