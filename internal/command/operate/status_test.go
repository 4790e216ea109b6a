//go:build !nodeimage

package operate

import (
	"bytes"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/sentinel"
	"github.com/redis-dock/redis-dock/internal/status"
)

func TestPrintSentinel(t *testing.T) {
	st := &sentinel.Status{Name: "shop", Network: "bridge", MasterName: "shop", Quorum: 2, Master: "shop-7000",
		Nodes: []sentinel.DataStatus{
			{Name: "shop-7000", Port: 7000, Container: "running", Role: "master", Offset: 900, Replicas: 1, Keys: 3, Memory: "1M"},
			{Name: "shop-7001", Port: 7001, Container: "running", Role: "replica", Follows: "shop-7000", Link: "up", Offset: 880, Lag: 20, Keys: 3},
			{Name: "shop-7002", Port: 7002, Container: "exited", Error: "container not running"},
		},
		Sentinels: []sentinel.SentinelView{
			{Name: "shop-7003", Port: 7003, Container: "running", Master: "10.213.7.10:7000", Flags: "master", Replicas: 2, Sentinels: 1, QuorumOK: true},
			{Name: "shop-7004", Port: 7004, Container: "running", Master: "10.213.7.10:7000", Flags: "master", Replicas: 2, Quorum: "NOQUORUM 1 usable Sentinels"},
		},
		Problems: []string{"shop-7002: container not running"},
	}
	var out bytes.Buffer
	printSentinel(&status.Env{Stdout: &out}, st)
	for _, want := range []string{
		"Sentinel group shop (network bridge, master name shop, quorum 2)",
		"shop-7000  7000  running    master",
		"replicas:1",
		"shop-7001  7001  running    replica",
		"shop-7000  up  ",
		"? (container not running)",
		"10.213.7.10:7000  master  2         1      ok",
		"NOQUORUM 1 usable Sentinels",
		"State: NOT healthy\n  - shop-7002: container not running",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
