package lab

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// cgroupRoot is where the machine's cgroup trees are mounted; the lab
// hosts' engines share them (mounted from the machine).
var cgroupRoot = "/sys/fs/cgroup"

// cgroupParent is the cgroup the containers of a lab's inner engines go
// under, in every controller, so that Down can find and remove them.
func cgroupParent(lab string) string { return "/redis-dock-lab/" + lab }

// removeCgroups removes the empty cgroups the lab's inner containers
// left (their processes died with their host, so no engine removed
// them), deepest first; a cgroup still in use stays.
func removeCgroups(lab string) {
	var dirs []string
	for _, base := range cgroupBases() {
		_ = filepath.WalkDir(filepath.Join(base, cgroupParent(lab)), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, p)
			}
			return nil
		})
	}
	sort.Slice(dirs, func(i, j int) bool { return strings.Count(dirs[i], "/") > strings.Count(dirs[j], "/") })
	for try := 0; try < 10; try++ {
		left := dirs[:0]
		for _, d := range dirs {
			if err := os.Remove(d); err != nil && !os.IsNotExist(err) {
				left = append(left, d)
			}
		}
		if dirs = left; len(dirs) == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond) // processes of killed containers may still be exiting
	}
	for _, base := range cgroupBases() {
		_ = os.Remove(filepath.Join(base, "redis-dock-lab")) // only when no other lab uses it
	}
}

// cgroupBases are the v1 controller hierarchies, or the v2 root.
func cgroupBases() []string {
	out := []string{cgroupRoot}
	entries, err := os.ReadDir(cgroupRoot)
	if err != nil {
		return out
	}
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, filepath.Join(cgroupRoot, e.Name()))
		}
	}
	return out
}
