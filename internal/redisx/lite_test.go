package redisx

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

func TestSlot(t *testing.T) {
	tests := map[string]int{"foo": 12182, "123456789": 0x31C3 % 16384, "{user1000}.following": Slot("user1000"), "a{}b": Slot("a{}b"), "": 0}
	for key, want := range tests {
		if got := Slot(key); got != want {
			t.Errorf("Slot(%q) = %d, want %d", key, got, want)
		}
	}
}

// TestLiteConn runs the small RESP client against a real redis-server.
func TestLiteConn(t *testing.T) {
	port := testutil.FreePortRange(t, 1)
	pw := `p "w" \x`
	conf := "port " + itoa(port) + "\nbind 127.0.0.1\nrequirepass \"p \\\"w\\\" \\\\x\"\nsave \"\"\nappendonly no\n"
	testutil.StartRedis(t, t.TempDir(), []byte(conf), "127.0.0.1", port)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	addr := "127.0.0.1:" + itoa(port)
	c := &liteConn{addr: addr, auth: Auth{Password: pw}}
	defer c.close()
	out := c.pipeline(ctx, []any{"PING"}, []any{"SET", "k", "v\r\nx"}, []any{"GET", "k"}, []any{"GET", "missing"},
		[]any{"INCR", "n"}, []any{"NOSUCHCOMMAND"}, []any{"MGET", "k", "missing"})
	if v, err := out[0].Text(); v != "PONG" || err != nil {
		t.Errorf("PING = %q, %v", v, err)
	}
	if v, err := out[2].Text(); v != "v\r\nx" || err != nil {
		t.Errorf("GET k = %q, %v", v, err)
	}
	if out[3].Val != nil || !isNilErr(out[3].Err) {
		t.Errorf("GET missing = %v, %v; want nil", out[3].Val, out[3].Err)
	}
	if v, err := integer(out[4].Val, out[4].Err); v != 1 || err != nil {
		t.Errorf("INCR = %v, %v", v, err)
	}
	if out[5].Err == nil || !strings.HasPrefix(out[5].Err.Error(), "ERR unknown command") {
		t.Errorf("NOSUCHCOMMAND err = %v", out[5].Err)
	}
	if arr, ok := out[6].Val.([]any); !ok || len(arr) != 2 || arr[0] != "v\r\nx" || arr[1] != nil {
		t.Errorf("MGET = %#v", out[6].Val)
	}
	bad := &liteConn{addr: addr, auth: Auth{Password: "wrong"}}
	defer bad.close()
	if err := bad.pipeline(ctx, []any{"PING"})[0].Err; !isAuthError(err) {
		t.Errorf("PING with a wrong password: err = %v, want WRONGPASS", err)
	}
	none := &liteConn{addr: addr}
	defer none.close()
	if err := none.pipeline(ctx, []any{"PING"})[0].Err; !isAuthError(err) {
		t.Errorf("PING without a password: err = %v, want NOAUTH", err)
	}
}

func isNilErr(err error) bool { return err == errNil }

func itoa(i int) string { return strconv.Itoa(i) }
