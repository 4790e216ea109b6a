package topology

import (
	"fmt"
	"net/netip"
	"reflect"
	"testing"
)

func TestInitialMasterRoundRobin(t *testing.T) {
	tests := []struct {
		masters, replicas int
		want              []int // Master of each node
	}{
		{3, 0, []int{-1, -1, -1}},
		{3, 1, []int{-1, -1, -1, 0, 1, 2}},
		{3, 2, []int{-1, -1, -1, 0, 1, 2, 0, 1, 2}},
		{4, 1, []int{-1, -1, -1, -1, 0, 1, 2, 3}},
	}
	for _, tt := range tests {
		var got []int
		for _, n := range New(Params{Cluster: "c", Masters: tt.masters, Replicas: tt.replicas, Port: 7000}).Nodes {
			got = append(got, n.Master)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d masters, %d replicas: follows %v, want %v", tt.masters, tt.replicas, got, tt.want)
		}
	}
}

func TestFewestReplicas(t *testing.T) {
	tests := []struct {
		name    string
		masters []string
		count   map[string]int
		want    string
	}{
		{"none", nil, nil, ""},
		{"fewest", []string{"a", "b", "c"}, map[string]int{"a": 2, "b": 1, "c": 2}, "b"},
		{"first on a tie", []string{"c", "a", "b"}, map[string]int{"a": 1, "b": 1, "c": 1}, "c"},
		{"uncounted is zero", []string{"a", "b"}, map[string]int{"a": 1}, "b"},
	}
	for _, tt := range tests {
		if got := FewestReplicas(tt.masters, tt.count); got != tt.want {
			t.Errorf("%s: FewestReplicas = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSpreadReplicas(t *testing.T) {
	tests := []struct {
		name    string
		masters []string
		nodes   []Follower
		want    map[string]string
	}{
		{"balanced stays", []string{"a", "b"}, []Follower{{"x", "a"}, {"y", "b"}}, map[string]string{}},
		{"orphan goes to the master without", []string{"a", "b"}, []Follower{{"x", "a"}, {"y", "gone"}}, map[string]string{"y": "b"}},
		{"surplus moves", []string{"a", "b", "c"}, []Follower{{"x", "a"}, {"y", "a"}, {"z", "b"}}, map[string]string{"y": "c"}},
		{"empty masters become replicas", []string{"a", "b"}, []Follower{{"x", ""}, {"y", ""}}, map[string]string{"x": "a", "y": "b"}},
		{"uneven total keeps the pair", []string{"a", "b"}, []Follower{{"x", "a"}, {"y", "a"}, {"z", "a"}}, map[string]string{"z": "b"}},
		{"no masters", nil, []Follower{{"x", ""}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SpreadReplicas(tt.masters, tt.nodes); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SpreadReplicas = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestGroupMaster: a node that serves nothing follows the serving master
// of its own planned group: a replica its planned master, a planned
// master the replica that took over from it; nothing when its group
// serves nothing.
func TestGroupMaster(t *testing.T) {
	plan := New(Params{Cluster: "c", Masters: 3, Replicas: 1, Port: 7000})
	serving := map[int]bool{3: true, 1: true, 2: true} // master 0 was lost: replica 3 took over
	for _, tt := range []struct{ i, want int }{{0, 3}, {4, 1}, {3, -1}, {1, -1}, {5, 2}} {
		if got := plan.GroupMaster(tt.i, func(j int) bool { return serving[j] }); got != tt.want {
			t.Errorf("GroupMaster(%d) = %d, want %d", tt.i, got, tt.want)
		}
	}
}

// TestHosts: masters go round robin over the hosts, each replica on
// another host than its master while there are enough hosts; nothing is
// placed on fewer than two.
func TestHosts(t *testing.T) {
	tests := []struct {
		masters, replicas, hosts int
		want                     []int
	}{
		{3, 1, 1, nil},
		{3, 1, 3, []int{0, 1, 2, 1, 2, 0}},
		{3, 2, 3, []int{0, 1, 2, 1, 2, 0, 2, 0, 1}},
		{3, 2, 4, []int{0, 1, 2, 1, 2, 3, 2, 3, 0}},
		{3, 1, 2, []int{0, 1, 0, 1, 0, 1}},
	}
	for _, tt := range tests {
		p := New(Params{Cluster: "c", Masters: tt.masters, Replicas: tt.replicas, Port: 7000})
		got := p.Hosts(tt.hosts)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%dx%d on %d hosts = %v, want %v", tt.masters, tt.replicas, tt.hosts, got, tt.want)
		}
		for i, n := range p.Nodes {
			if got != nil && n.Master >= 0 && tt.replicas < tt.hosts && got[i] == got[n.Master] {
				t.Errorf("%dx%d on %d hosts: replica %d shares host %d with its master", tt.masters, tt.replicas, tt.hosts, i, got[i])
			}
		}
	}
}

func TestGroup(t *testing.T) {
	subnet := netip.MustParsePrefix("10.213.7.0/24")
	tests := []struct {
		name    string
		p       GroupParams
		roles   []string
		follows []int
	}{
		{"default", GroupParams{Replicas: 2, Sentinels: 3},
			[]string{RoleMaster, RoleReplica, RoleReplica, RoleSentinel, RoleSentinel, RoleSentinel}, []int{-1, 0, 0, -1, -1, -1}},
		{"cascade", GroupParams{Replicas: 2, Sentinels: 1, Cascade: true},
			[]string{RoleMaster, RoleReplica, RoleReplica, RoleSentinel}, []int{-1, 0, 1, -1}},
	}
	for _, tt := range tests {
		tt.p.Name, tt.p.Port, tt.p.Subnet = "g", 7000, subnet
		var roles []string
		var follows []int
		for i, n := range Group(tt.p) {
			roles, follows = append(roles, n.Role), append(follows, n.Master)
			if n.Port != 7000+i || n.Name != fmt.Sprintf("g-%d", 7000+i) || n.IP != HostAddr(subnet, FirstHost+i) {
				t.Errorf("%s: node %d is %s port %d ip %s", tt.name, i, n.Name, n.Port, n.IP)
			}
		}
		if !reflect.DeepEqual(roles, tt.roles) || !reflect.DeepEqual(follows, tt.follows) {
			t.Errorf("%s: roles %v follows %v, want %v %v", tt.name, roles, follows, tt.roles, tt.follows)
		}
	}
}
