package images

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// hostLdSoConf is where the host loader's extra directories are listed.
const hostLdSoConf = "/etc/ld.so.conf"

// readLdSoConf returns the directories listed in an ld.so.conf, following
// "include" globs (relative to the file's directory) like ldconfig does.
// A missing file lists nothing.
func readLdSoConf(path string) ([]string, error) {
	return readLdConf(path, map[string]bool{})
}

func readLdConf(path string, visited map[string]bool) ([]string, error) {
	if visited[path] {
		return nil, nil
	}
	visited[path] = true
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var dirs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.FieldsFunc(line, func(r rune) bool {
			return r == ' ' || r == '\t' || r == ':' || r == ','
		})
		if len(fields) == 0 || fields[0] == "hwcap" {
			continue
		}
		if fields[0] != "include" {
			dirs = append(dirs, fields...)
			continue
		}
		inc, err := readIncludes(filepath.Dir(path), fields[1:], visited)
		if err != nil {
			return nil, err
		}
		dirs = append(dirs, inc...)
	}
	return dirs, sc.Err()
}

// readIncludes reads the files matching each glob, in sorted order.
func readIncludes(base string, globs []string, visited map[string]bool) ([]string, error) {
	var dirs []string
	for _, g := range globs {
		if !filepath.IsAbs(g) {
			g = filepath.Join(base, g)
		}
		matches, err := filepath.Glob(g)
		if err != nil {
			return nil, err
		}
		sort.Strings(matches)
		for _, m := range matches {
			d, err := readLdConf(m, visited)
			if err != nil {
				return nil, err
			}
			dirs = append(dirs, d...)
		}
	}
	return dirs, nil
}
