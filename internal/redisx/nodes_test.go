package redisx

import "testing"

const sample = `07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004,hostname4 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected
67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002,hostname2 master - 0 1426238316232 2 connected 5461-10922
292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@31003,hostname3 master - 0 1426238318243 3 connected 10923-16383 [77->-e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca]
e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001,hostname1 myself,master - 0 0 1 connected 0-5460
6ec23923021cf3ffec47632106199cb7f496ce01 127.0.0.1:30005@31005 slave,fail? 67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 0 1426238316232 5 disconnected 7
`

func TestParseNodes(t *testing.T) {
	nodes, err := ParseNodes(sample)
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 5 {
		t.Fatalf("got %d nodes", len(nodes))
	}
	me, ok := Myself(nodes)
	if !ok || me.Port != 30001 || me.BusPort != 31001 || me.Hostname != "hostname1" || me.SlotCount() != 5461 {
		t.Errorf("myself = %+v", me)
	}
	if n := nodes[2]; len(n.Open) != 1 || n.SlotString() != "10923-16383" {
		t.Errorf("open slots not parsed: %+v", n)
	}
	if n := nodes[0]; n.IsMaster() || n.MasterID != "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca" || !n.Connected {
		t.Errorf("replica parsed as %+v", n)
	}
	if n := nodes[4]; !n.Failing() || n.Connected || n.Hostname != "" {
		t.Errorf("failing replica parsed as %+v", n)
	}
	want := "292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f=10923-16383;67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1=5461-10922;e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca=0-5460"
	if got := SlotMap(nodes); got != want {
		t.Errorf("SlotMap = %s", got)
	}
}

func TestParseInfo(t *testing.T) {
	info := ParseInfo("# Cluster\r\ncluster_state:ok\r\ncluster_known_nodes:6\r\n")
	if info["cluster_state"] != "ok" || info["cluster_known_nodes"] != "6" {
		t.Errorf("ParseInfo = %v", info)
	}
}

func TestParseSlotString(t *testing.T) {
	for _, n := range []ClusterNode{{}, {Slots: [][2]int{{0, 5460}}}, {Slots: [][2]int{{0, 99}, {100, 100}, {200, 16383}}}} {
		got, err := ParseSlotString(n.SlotString())
		if err != nil || (ClusterNode{Slots: got}).SlotString() != n.SlotString() || len(got) != len(n.Slots) {
			t.Errorf("ParseSlotString(%q) = %v, %v", n.SlotString(), got, err)
		}
	}
	if _, err := ParseSlotString("0-x"); err == nil {
		t.Error("ParseSlotString(0-x): no error")
	}
}
