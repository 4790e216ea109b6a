// Package acl checks Redis ACL rules before anything is created, against
// the commands and categories of the redis-server the node image carries
// (redis-7.0.txt, made from that server's COMMAND LIST and ACL CAT), and
// renders the `user` lines of a node's redis.conf. It is pure: no Redis.
package acl

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

//go:embed redis-7.0.txt
var list string

// Known is the commands ("get", "config|get") and categories ("@read")
// of the node image's redis-server.
var Known = parse(list)

func parse(s string) map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out[l] = true
		}
	}
	return out
}

// Admin is the user redis-dock makes for itself on a cluster with users:
// every tool connection and replication (masteruser) use it.
const Admin = "redis-dock"

var userName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// CheckName says what is wrong with a user name, nil when nothing.
func CheckName(name string) error {
	switch {
	case !userName.MatchString(name):
		return fmt.Errorf("%q: a user name has letters, digits, '_', '.' and '-' (at most 64, starting with a letter or digit)", name)
	case name == "default":
		return fmt.Errorf("%s: the default user is Redis's own; give it no rules here (--no-default-user turns it off)", name)
	case name == Admin:
		return fmt.Errorf("%s: the name is redis-dock's own admin user's", name)
	}
	return nil
}

// words are the rules that take no argument and touch no password.
var words = map[string]bool{
	"on": true, "off": true, "allkeys": true, "resetkeys": true, "allchannels": true,
	"resetchannels": true, "allcommands": true, "nocommands": true, "clearselectors": true,
}

// CheckRule says what is wrong with one rule of user's, nil when nothing.
func CheckRule(user, rule string) error {
	bad := func(why string) error { return fmt.Errorf("%s: rule %q: %s", user, rule, why) }
	if strings.ContainsAny(rule, " \t\r\n\"'") {
		return bad("a rule holds no spaces or quotes")
	}
	switch {
	case rule == "":
		return bad("empty rule")
	case words[strings.ToLower(rule)]:
		return nil
	case strings.HasPrefix(rule, "~") || strings.HasPrefix(rule, "&"):
		return nil
	case strings.HasPrefix(rule, "%"):
		if i := strings.IndexByte(rule, '~'); i > 1 && strings.Trim(strings.ToUpper(rule[1:i]), "RW") == "" {
			return nil
		}
		return bad("key permissions are %R~pattern, %W~pattern or %RW~pattern")
	case strings.ContainsAny(rule[:1], "><#!") || strings.EqualFold(rule, "nopass") || strings.EqualFold(rule, "resetpass") || strings.EqualFold(rule, "reset"):
		return bad("passwords are redis-dock's: each user gets a generated one, or one from --user-password-file NAME=PATH")
	case strings.HasPrefix(rule, "("):
		return bad("selectors are not supported by redis-dock")
	case rule[0] == '+' || rule[0] == '-':
		return checkCommand(rule, bad)
	}
	return bad("allowed: on, off, ~pattern, %R~/%W~/%RW~pattern, &pattern, allkeys, resetkeys, allchannels, resetchannels, allcommands, nocommands, +@category, -@category, +command, -command, +command|subcommand")
}

func checkCommand(rule string, bad func(string) error) error {
	name := strings.ToLower(rule[1:])
	if strings.HasPrefix(name, "@") {
		if Known[name] {
			return nil
		}
		return bad("unknown category; the categories are " + strings.Join(categories(), " "))
	}
	cmd, sub, hasSub := strings.Cut(name, "|")
	if !Known[cmd] {
		return bad("unknown command (not in redis-server 7.0's COMMAND LIST)")
	}
	if !hasSub || Known[name] {
		return nil
	}
	if rule[0] == '+' && sub != "" && !hasSubcommands(cmd) {
		return nil // a first argument, e.g. +select|0
	}
	return bad(fmt.Sprintf("unknown subcommand of %s", cmd))
}

func hasSubcommands(cmd string) bool {
	for k := range Known {
		if strings.HasPrefix(k, cmd+"|") {
			return true
		}
	}
	return false
}

func categories() []string {
	var out []string
	for k := range Known {
		if strings.HasPrefix(k, "@") {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Parse splits a NAME:RULES argument (--user app:'~app:* +@read') and
// checks the name and every rule.
func Parse(arg string) (name string, rules []string, err error) {
	name, r, ok := strings.Cut(arg, ":")
	if !ok {
		return "", nil, fmt.Errorf("%q: want NAME:RULES, e.g. app:'~app:* +@read +@write'", arg)
	}
	if err := CheckName(name); err != nil {
		return "", nil, err
	}
	rules = strings.Fields(r)
	for _, rule := range rules {
		if err := CheckRule(name, rule); err != nil {
			return "", nil, err
		}
	}
	return name, rules, nil
}

// Hash is the form of a password a `user` line keeps: #<sha256 hex>.
func Hash(password string) string {
	h := sha256.Sum256([]byte(password))
	return "#" + hex.EncodeToString(h[:])
}

// ClusterClient are the commands every user gets before its own rules:
// what a cluster client (go-redis, redis-cli -c) needs to find and follow
// the slots (CLUSTER SLOTS and the like, READONLY for replica reads,
// ASKING during slot moves), COMMAND (go-redis's ClusterClient reads the
// command table at start to route read-only commands, and logs a NOPERM
// on every new connection pool without it) and PING. Most are in @slow or @connection,
// not in @read or @write, so without them `+@read +@write` would not
// even let a cluster client start. The user's own rules come after, so
// they may take any of these away again.
var ClusterClient = []string{
	"+cluster|slots", "+cluster|shards", "+cluster|nodes", "+cluster|info", "+cluster|myid", "+cluster|keyslot",
	"+readonly", "+readwrite", "+asking", "+command", "+ping",
}

// Line is the `user` directive (without the word user) of a user with
// these rules and password: on, the password's hash, the commands of a
// cluster client, then the user's rules, so a rule may still turn the
// user off or take those commands away.
func Line(name, password string, rules []string) string {
	words := append([]string{name, "on", Hash(password)}, ClusterClient...)
	return strings.Join(append(words, rules...), " ")
}

// AdminLine is redis-dock's own user: every key, channel and command.
func AdminLine(password string) string {
	return strings.Join([]string{Admin, "on", Hash(password), "~*", "&*", "+@all"}, " ")
}
