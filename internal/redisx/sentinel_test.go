package redisx

import (
	"reflect"
	"testing"
)

func TestParseReplication(t *testing.T) {
	master := ParseInfo("# Replication\r\nrole:master\r\nconnected_slaves:2\r\n" +
		"slave0:ip=10.213.7.11,port=7001,state=online,offset=1234,lag=0\r\n" +
		"slave1:ip=10.213.7.12,port=7002,state=wait_bgsave,offset=0,lag=1\r\n" +
		"master_replid:abc\r\nmaster_repl_offset:1240\r\n")
	got := ParseReplication(master)
	want := Replication{Role: "master", Offset: 1240, Replicas: []ReplicaInfo{
		{IP: "10.213.7.11", Port: 7001, State: "online", Offset: 1234},
		{IP: "10.213.7.12", Port: 7002, State: "wait_bgsave"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("master: got %+v, want %+v", got, want)
	}
	if !got.IsMaster() || got.Replicas[0].Addr() != "10.213.7.11:7001" {
		t.Errorf("IsMaster %v, Addr %s", got.IsMaster(), got.Replicas[0].Addr())
	}
	replica := ParseReplication(ParseInfo("role:slave\nmaster_host:10.213.7.10\nmaster_port:7000\n" +
		"master_link_status:down\nslave_repl_offset:99\nmaster_repl_offset:99\n"))
	if replica.IsMaster() || replica.LinkUp || replica.MasterAddr() != "10.213.7.10:7000" || replica.Offset != 99 {
		t.Errorf("replica: got %+v", replica)
	}
}

func TestPairs(t *testing.T) {
	got, err := pairs([]any{"name", "demo", "num-slaves", "2"})
	if err != nil || !reflect.DeepEqual(got, map[string]string{"name": "demo", "num-slaves": "2"}) {
		t.Errorf("pairs(array) = %v, %v", got, err)
	}
	got, err = pairs(map[any]any{"quorum": int64(2)})
	if err != nil || got["quorum"] != "2" {
		t.Errorf("pairs(map) = %v, %v", got, err)
	}
	if _, err := pairs([]any{"odd"}); err == nil {
		t.Error("pairs(odd) = nil error")
	}
	if _, err := pairs("x"); err == nil {
		t.Error("pairs(string) = nil error")
	}
}
