package templates

import (
	"fmt"
	"strconv"
	"strings"
)

// SplitArgs splits one redis.conf line into arguments the way Redis's
// sdssplitargs does: bare words, "double quoted" with \xHH and backslash
// escapes, and 'single quoted' with only \' escaped.
func SplitArgs(line string) ([]string, error) {
	var out []string
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return out, nil
		}
		arg, next, err := readArg(line, i)
		if err != nil {
			return nil, err
		}
		out = append(out, arg)
		i = next
	}
}

func readArg(s string, i int) (string, int, error) {
	var b strings.Builder
	switch s[i] {
	case '"':
		for i++; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '\\' && i+3 < len(s) && s[i+1] == 'x' && isHex(s[i+2]) && isHex(s[i+3]):
				v, _ := strconv.ParseUint(s[i+2:i+4], 16, 8)
				b.WriteByte(byte(v))
				i += 3
			case c == '\\' && i+1 < len(s):
				i++
				b.WriteByte(unescape(s[i]))
			case c == '"':
				return b.String(), i + 1, endOfArg(s, i+1)
			default:
				b.WriteByte(c)
			}
		}
		return "", 0, fmt.Errorf("unbalanced quotes in %q", s)
	case '\'':
		for i++; i < len(s); i++ {
			switch {
			case s[i] == '\\' && i+1 < len(s) && s[i+1] == '\'':
				b.WriteByte('\'')
				i++
			case s[i] == '\'':
				return b.String(), i + 1, endOfArg(s, i+1)
			default:
				b.WriteByte(s[i])
			}
		}
		return "", 0, fmt.Errorf("unbalanced quotes in %q", s)
	}
	j := i
	for j < len(s) && s[j] != ' ' && s[j] != '\t' {
		j++
	}
	return s[i:j], j, nil
}

func endOfArg(s string, i int) error {
	if i < len(s) && s[i] != ' ' && s[i] != '\t' {
		return fmt.Errorf("closing quote must be followed by a space in %q", s)
	}
	return nil
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}

// Directive returns the arguments of the last occurrence of name in a
// rendered config (Redis applies the last one), or false.
func Directive(conf []byte, name string) ([]string, bool) {
	var found []string
	ok := false
	for _, line := range strings.Split(string(conf), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		args, err := SplitArgs(line)
		if err != nil || len(args) == 0 || !strings.EqualFold(args[0], name) {
			continue
		}
		found, ok = args[1:], true
	}
	return found, ok
}
