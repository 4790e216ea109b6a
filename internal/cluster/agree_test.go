package cluster

import (
	"fmt"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/redisx"
)

// liveFrom builds members from CLUSTER NODES texts, one per member, each
// with its own "myself" line.
func liveFrom(t *testing.T, views ...string) *live {
	t.Helper()
	l := &live{}
	for _, v := range views {
		ns, err := redisx.ParseNodes(strings.TrimSpace(v))
		if err != nil {
			t.Fatal(err)
		}
		m := &member{view: ns}
		for _, n := range ns {
			if n.Has("myself") {
				m.self = n
			}
		}
		l.members = append(l.members, m)
	}
	return l
}

// nodesText is a CLUSTER NODES reply: a, b, c masters with the slots
// given, r a replica of a; me names the line that carries "myself".
func nodesText(me string, slots map[string]string, epochs map[string]int) string {
	var b strings.Builder
	for i, id := range []string{"a", "b", "c", "r"} {
		flags, master := "master", "-"
		if id == "r" {
			flags, master = "slave", "a"
		}
		if id == me {
			flags = "myself," + flags
		}
		fmt.Fprintf(&b, "%s 10.0.0.%d:7000@17000 %s %s 0 0 %d connected %s\n", id, i+1, flags, master, epochs[id], slots[id])
	}
	return b.String()
}

func TestAgreedOwnersAndViewsOff(t *testing.T) {
	right := map[string]string{"a": "0-5460", "b": "5461-10922", "c": "10923-16383"}
	epochs := map[string]int{"a": 1, "b": 2, "c": 3}
	// c missed the claim of b (after a move of 10923-11000 to b): it
	// still claims those slots itself, and a missed b's claim of 0-10
	stale := map[string]string{"a": "0-5460", "b": "5461-10922", "c": "10923-16383"}
	bClaims := map[string]string{"a": "11-5460", "b": "0-10 5461-11000", "c": "11001-16383"}
	aView := map[string]string{"a": "0-5460", "b": "5461-11000", "c": "11001-16383"}
	l := liveFrom(t,
		nodesText("a", aView, epochs),
		nodesText("b", bClaims, map[string]int{"a": 1, "b": 4, "c": 3}),
		nodesText("c", stale, epochs),
		nodesText("r", bClaims, map[string]int{"a": 1, "b": 4, "c": 3}),
	)
	// a's own line claims 0-5460, b's claims 0-10: a conflict, which the
	// higher config epoch decides (b's, 4), as Redis would
	owners := l.agreedOwners()
	for s, want := range map[int]string{0: "b", 10: "b", 11: "a", 5461: "b", 10923: "b", 11000: "b", 11001: "c", 16383: "c"} {
		if owners[s] != want {
			t.Errorf("slot %d: owner %q, want %q", s, owners[s], want)
		}
	}
	wrong, held := l.viewsOff(owners)
	// c's view gives 0-10 to a (it missed b's claim): wrong; a's view
	// misses b's claim on 0-10 only as its own claim: held, like c's
	// claim on 10923-11000
	if wrong != 1 {
		t.Errorf("%d masters with a wrong view of others' slots, want 1 (c)", wrong)
	}
	if got := len(held[l.members[0]]); got != 11 {
		t.Errorf("a holds %d slots the others give away, want 11 (0-10)", got)
	}
	if got := len(held[l.members[2]]); got != 78 {
		t.Errorf("c holds %d slots the others give away, want 78 (10923-11000)", got)
	}
	if len(held[l.members[1]]) != 0 {
		t.Errorf("b holds slots wrongly: %v", held[l.members[1]])
	}

	// r, a replica, follows b's view: it gives 0-10 and 10923-11000 to b,
	// as owners does, so no owner needs a new epoch for it
	if bump := l.replicasOff(owners); len(bump) != 0 {
		t.Errorf("owners to bump for r: %d, want 0", len(bump))
	}
	stale2 := liveFrom(t,
		nodesText("a", right, epochs), nodesText("b", right, epochs), nodesText("c", right, epochs),
		nodesText("r", map[string]string{"a": "0-5460", "b": "5461-10000", "c": "10001-16383"}, epochs))
	if bump := stale2.replicasOff(stale2.agreedOwners()); len(bump) != 1 || bump[0] != stale2.members[1] {
		t.Errorf("a replica that missed b's claim on 10001-10922: bump %d owners, want b only", len(bump))
	}

	// everyone agrees: nothing to do
	ok := liveFrom(t, nodesText("a", right, epochs), nodesText("b", right, epochs), nodesText("c", right, epochs))
	if wrong, held := ok.viewsOff(ok.agreedOwners()); wrong != 0 || len(held) != 0 || len(ok.replicasOff(ok.agreedOwners())) != 0 {
		t.Errorf("an agreed cluster: %d wrong views, %d holders", wrong, len(held))
	}

	// a master whose view gives b's slots to c (it missed a move between
	// others): a wrong view, not a claim of its own
	off := map[string]string{"a": "0-5460", "b": "5461-10000", "c": "10001-16383"}
	l2 := liveFrom(t, nodesText("a", off, epochs), nodesText("b", right, epochs), nodesText("c", right, epochs))
	if wrong, held := l2.viewsOff(l2.agreedOwners()); wrong != 1 || len(held) != 0 {
		t.Errorf("a view that missed a move: %d wrong views (want 1), %d holders (want 0)", wrong, len(held))
	}

	// c gave up 16383 in its own map (a move undone under a fault) while
	// everyone else still gives it to c: no master claims it, c reports
	// cluster_state:fail; c is told to take it back, nobody else
	lost := map[string]string{"a": "0-5460", "b": "5461-10922", "c": "10923-16382"}
	l3 := liveFrom(t, nodesText("a", right, epochs), nodesText("b", right, epochs), nodesText("c", lost, epochs), nodesText("r", right, epochs))
	owners3 := l3.agreedOwners()
	if forgot := l3.forgotten(owners3); len(forgot) != 1 || fmt.Sprint(forgot[l3.members[2]]) != "[16383]" {
		t.Errorf("c forgot 16383: forgotten %v, want c: [16383]", forgot)
	}
	// a slot one other node also leaves unassigned is nobody's to claim
	unsure := liveFrom(t, nodesText("a", lost, epochs), nodesText("b", right, epochs), nodesText("c", lost, epochs))
	if forgot := unsure.forgotten(unsure.agreedOwners()); len(forgot) != 0 {
		t.Errorf("16383 unassigned in a's and c's maps: forgotten %v, want none", forgot)
	}
	if forgot := ok.forgotten(ok.agreedOwners()); len(forgot) != 0 {
		t.Errorf("an agreed cluster: forgotten %v", forgot)
	}
}
