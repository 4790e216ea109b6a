package sentinel

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
)

// judge lists what keeps a group from being healthy: exactly one master,
// every replica linked to a node of the group, and every sentinel handing
// out that master, unalarmed, knowing all other sentinels and the
// master's replicas, with a quorum it can reach.
func judge(st *Status, sentinels int) []string {
	problems := judgeData(st)
	for _, v := range st.Sentinels {
		problems = append(problems, judgeSentinel(st, v, sentinels)...)
	}
	sort.Strings(problems)
	return problems
}

func judgeData(st *Status) []string {
	var problems, masters []string
	ours := map[string]bool{}
	for _, d := range st.Nodes {
		ours[d.Name] = true
	}
	for _, d := range st.Nodes {
		switch {
		case d.Error != "":
			problems = append(problems, fmt.Sprintf("%s: %s", d.Name, d.Error))
		case d.Role == "master":
			masters = append(masters, d.Name)
		case d.Link != "up":
			problems = append(problems, fmt.Sprintf("replica %s: link to %s is %s", d.Name, d.Follows, d.Link))
		case !ours[d.Follows]:
			problems = append(problems, fmt.Sprintf("replica %s follows %s, which is not a node of this group", d.Name, d.Follows))
		}
	}
	switch {
	case len(masters) == 0:
		problems = append(problems, "no data node says it is the master")
	case len(masters) > 1:
		problems = append(problems, fmt.Sprintf("%d data nodes say they are the master: %s", len(masters), strings.Join(masters, ", ")))
	}
	return problems
}

func judgeSentinel(st *Status, v SentinelView, sentinels int) []string {
	if v.Error != "" {
		return []string{fmt.Sprintf("sentinel %s: %s", v.Name, v.Error)}
	}
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("sentinel %s ", v.Name)+fmt.Sprintf(format, args...))
	}
	master, direct := masterOf(st)
	if master != nil && portOf(v.Master) != master.Port {
		add("hands out %s as the master, but %s is", v.Master, master.Name)
	}
	if v.Flags != "master" {
		add("flags the master %s", v.Flags)
	}
	if v.Sentinels != sentinels-1 {
		add("knows %d other sentinels, want %d", v.Sentinels, sentinels-1)
	}
	if v.Replicas < direct {
		add("hands out %d usable replicas of the master, which has %d", v.Replicas, direct)
	}
	if !v.QuorumOK {
		add("cannot reach its quorum: %s", v.Quorum)
	}
	return problems
}

// masterOf returns the one node that says it is master, and how many
// replicas are attached to it directly (sentinels discover only those).
func masterOf(st *Status) (*DataStatus, int) {
	for i, d := range st.Nodes {
		if d.Role == "master" && d.Error == "" {
			return &st.Nodes[i], d.Replicas
		}
	}
	return nil, 0
}

func portOf(addr string) int {
	_, p, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(p)
	return port
}
