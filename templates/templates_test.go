package templates

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/golden"
)

// nastyPasswords are passwords that break naive quoting in redis.conf.
var nastyPasswords = []string{
	`a "q" b\c #x`,
	"with space",
	"it's",
	`'single' and "double"`,
	"tab\there",
	`back\slash\`,
	`\x41 not hex`,
	`\\double`,
	"#starts-with-hash",
	"ünïcödé 密码 🔑",
	" leading and trailing ",
	"ctl\x01\x7fbytes",
	`"`,
	`'`,
	"",
}

func TestRenderRedisGolden(t *testing.T) {
	base := redisConf{
		Port: 7000, BusPort: 17000, Password: "s3cret pass", Cluster: true,
		NodeTimeout: 5000, AppendOnly: true, Dir: "/data",
	}
	tests := []struct {
		golden string
		edit   func(r *redisConf)
	}{
		{"bridge-hostname", func(r *redisConf) {
			r.Name, r.Bind = "demo-7000", []string{"0.0.0.0"}
			r.AnnounceHostname, r.PreferredEndpointType = "localhost", "hostname"
		}},
		{"host-announce-ip", func(r *redisConf) {
			r.Name, r.Port, r.BusPort, r.Bind = "demo-7001", 7001, 17001, []string{"127.0.0.1"}
			r.AnnounceIP = "192.0.2.10"
		}},
		{"no-password", func(r *redisConf) {
			r.Name, r.Password, r.ProtectedMode, r.AppendOnly = "demo-7002", "", true, false
		}},
		{"tls", func(r *redisConf) {
			r.Name, r.Bind = "demo-7004", []string{"0.0.0.0"}
			r.Port, r.BusPort = 7004, 17004
			r.AnnounceHostname, r.PreferredEndpointType = "localhost", "hostname"
			r.TLS = TLSIn("/etc/redis/tls", false)
		}},
		{"tls-client-auth", func(r *redisConf) {
			r.Name, r.Bind = "demo-7005", []string{"127.0.0.1"}
			r.Port, r.BusPort = 7005, 17005
			r.TLS = TLSIn("/etc/redis/tls", true)
		}},
		{"extra-directives", func(r *redisConf) {
			r.Name, r.Bind = "demo-7003", []string{"127.0.0.1"}
			r.Port, r.BusPort = 7003, 0 // bus port defaults to port+10000
			r.Extra = []string{"maxmemory 100mb", "maxmemory-policy allkeys-lru", `save ""`}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			r := base
			tt.edit(&r)
			got, err := renderRedis(r)
			if err != nil {
				t.Fatalf("renderRedis: %v", err)
			}
			checkGolden(t, filepath.Join("testdata", tt.golden+".golden"), got)
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}

func TestRenderRedisErrors(t *testing.T) {
	tests := []struct {
		name string
		r    redisConf
		want string
	}{
		{"port zero", redisConf{}, "port 0"},
		{"port too high", redisConf{Port: 65536}, "port 65536"},
		{"owned extra", redisConf{Port: 7000, Extra: []string{"port 7001"}}, "--config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := renderRedis(tt.r)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("renderRedis error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestQuoteSplitArgsRoundTrip(t *testing.T) {
	for _, pw := range nastyPasswords {
		t.Run(pw, func(t *testing.T) {
			line := "requirepass " + Quote(pw)
			if strings.ContainsAny(line, "\n\r") {
				t.Fatalf("Quote(%q) = %s: spans lines", pw, Quote(pw))
			}
			got, err := SplitArgs(line)
			if err != nil {
				t.Fatalf("SplitArgs(%s): %v", line, err)
			}
			if want := []string{"requirepass", pw}; !reflect.DeepEqual(got, want) {
				t.Fatalf("SplitArgs(%s) = %q, want %q", line, got, want)
			}
		})
	}
}

func TestRenderedPasswordRoundTrips(t *testing.T) {
	for _, pw := range nastyPasswords {
		if pw == "" {
			continue // no password: the directives are left out
		}
		t.Run(pw, func(t *testing.T) {
			conf, err := renderRedis(redisConf{Port: 7000, Cluster: true, Password: pw})
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"requirepass", "masterauth"} {
				got, ok := Directive(conf, name)
				if !ok || !reflect.DeepEqual(got, []string{pw}) {
					t.Errorf("Directive(%s) = %q, %v; want [%q]", name, got, ok, pw)
				}
			}
		})
	}
}

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		line    string
		want    []string
		wantErr bool
	}{
		{"port 7000", []string{"port", "7000"}, false},
		{"  save \t 900 1  ", []string{"save", "900", "1"}, false},
		{`save ""`, []string{"save", ""}, false},
		{`requirepass "a\x41\n"`, []string{"requirepass", "aA\n"}, false},
		{`requirepass 'it\'s "raw" \n'`, []string{"requirepass", `it's "raw" \n`}, false},
		{`requirepass "unbalanced`, nil, true},
		{`requirepass 'unbalanced`, nil, true},
		{`requirepass "a"b`, nil, true},
		{"", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := SplitArgs(tt.line)
			if (err != nil) != tt.wantErr {
				t.Fatalf("SplitArgs(%q) error = %v, wantErr %v", tt.line, err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("SplitArgs(%q) = %q, want %q", tt.line, got, tt.want)
			}
		})
	}
}

func TestCheckExtra(t *testing.T) {
	tests := []struct {
		line string
		want string // empty: accepted
	}{
		{"maxmemory 100mb", ""},
		{"maxmemory-policy allkeys-lru", ""},
		{`save ""`, ""},
		{"notify-keyspace-events KEA", ""},
		{"hash-max-ziplist-entries 128", ""}, // an alias
		{"Maxmemory 1mb", ""},
		{"nosuchdirective 1", "nosuchdirective"},
		{"maxmemroy 1mb", "maxmemroy"},
		{"port 7001", "port"},
		{"PORT 7001", "port"},
		{`"port" 7001`, "port"},
		{"requirepass hunter2", "requirepass"},
		{"masterauth hunter2", "masterauth"},
		{"cluster-enabled no", "cluster-enabled"},
		{"cluster-config-file nodes.conf", "cluster-config-file"},
		{"cluster-announce-hostname example.com", "cluster-announce-hostname"},
		{"appendonly no", "appendonly"},
		{"dir /tmp", "dir"},
		{"include /etc/redis/other.conf", "include"},
		{"rename-command CONFIG \"\"", "rename-command"},
		{"maxmemory", "name value"},
		{"# maxmemory 1mb", "name value"},
		{"maxmemory 1mb\nport 7001", "one line"},
		{`maxmemory "1mb`, "--config"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			err := CheckExtra([]string{tt.line})
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckExtra(%q) = %v, want nil", tt.line, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckExtra(%q) = nil, want an error naming %q", tt.line, tt.want)
			}
			for _, s := range []string{"--config", tt.want} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("CheckExtra(%q) = %q, want it to contain %q", tt.line, err, s)
				}
			}
		})
	}
}

func TestDirective(t *testing.T) {
	conf := []byte("# maxmemory 1mb\nport 7000\nmaxmemory 2mb\n  MAXMEMORY   \"3mb\"  \nsave \"\"\nbroken \"line\n")
	tests := []struct {
		name string
		want []string
		ok   bool
	}{
		{"maxmemory", []string{"3mb"}, true},
		{"port", []string{"7000"}, true},
		{"save", []string{""}, true},
		{"broken", nil, false},
		{"requirepass", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Directive(conf, tt.name)
			if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Directive(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestDirectiveLastExtraWins(t *testing.T) {
	conf, err := renderRedis(redisConf{Port: 7000, Extra: []string{"maxmemory 1mb", "maxmemory 100mb"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := Directive(conf, "maxmemory"); !ok || !reflect.DeepEqual(got, []string{"100mb"}) {
		t.Fatalf("Directive(maxmemory) = %q, %v; want [100mb]", got, ok)
	}
}
