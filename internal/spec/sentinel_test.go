package spec

import (
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/testutil"
)

func sentinelSpec() Spec {
	s := Default()
	s.Mode, s.Masters = ModeSentinel, 1
	return s
}

func TestValidateSentinel(t *testing.T) {
	spaceFile := writeFile(t, t.TempDir(), "pw", "two words\n")
	tests := []struct {
		name string
		edit func(s *Spec)
		want []string // empty: valid
	}{
		{"defaults", func(s *Spec) {}, nil},
		{"three masters", func(s *Spec) { s.Masters = 3 }, []string{"--masters 3", "exactly one master"}},
		{"no replicas", func(s *Spec) { s.Replicas = 0 }, []string{"--replicas 0", "at least 1"}},
		{"negative sentinels", func(s *Spec) { s.Sentinels = -1 }, []string{"--sentinels -1"}},
		{"one sentinel", func(s *Spec) { s.Sentinels = 1 }, nil},
		{"even sentinels", func(s *Spec) { s.Sentinels = 4 }, nil},
		{"cascade", func(s *Spec) { s.Replicas, s.Cascade = 3, true }, nil},
		{"down-after too small", func(s *Spec) { s.DownAfter = 50 }, []string{"--down-after 50"}},
		{"down-after 1000", func(s *Spec) { s.DownAfter = 1000 }, nil},
		{"too many containers", func(s *Spec) { s.Replicas, s.Sentinels = 190, 11 }, []string{"--replicas 190", "--sentinels 11", "202"}},
		{"ports past 65535", func(s *Spec) { s.Port = 65532 }, []string{"--port 65532", "65532..65536"}},
		{"announce on bridge", func(s *Spec) { s.AnnounceIP = "192.0.2.1" }, []string{"--announce-ip", "--network host"}},
		{"announce on host", func(s *Spec) { s.Network, s.AnnounceIP = NetworkHost, "192.0.2.1" }, nil},
		{"password with space", func(s *Spec) { s.Password = "a b" }, []string{"--password", "unquoted"}},
		{"password with quote", func(s *Spec) { s.Password = `a"b` }, []string{"--password"}},
		{"password file with space", func(s *Spec) { s.PasswordFile = spaceFile }, []string{"--password"}},
		{"plain password", func(s *Spec) { s.Password = "Hunter2-#!$%&()*+,./:;<=>?@[]^_`{|}~" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sentinelSpec()
			tt.edit(&s)
			checkValidate(t, s, tt.want)
		})
	}
}

func TestSentinelFieldsNeedSentinelMode(t *testing.T) {
	for flag, edit := range map[string]func(*Spec){
		"--sentinels":  func(s *Spec) { s.Sentinels = 3 },
		"--cascade":    func(s *Spec) { s.Cascade = true },
		"--down-after": func(s *Spec) { s.DownAfter = 1000 },
	} {
		s := Default()
		edit(&s)
		checkValidate(t, s, []string{flag, "only with --mode sentinel"})
	}
}

func TestSentinelDerived(t *testing.T) {
	tests := []struct {
		sentinels, downAfter                 int
		nodes, quorum, downMillis, failMills int
	}{
		{0, 0, 5, 2, 5000, 10000},
		{1, 1000, 3, 1, 1000, 10000},
		{4, 0, 6, 3, 5000, 10000},
		{5, 30000, 7, 3, 30000, 60000},
	}
	for _, tt := range tests {
		s := sentinelSpec()
		s.Sentinels, s.DownAfter = tt.sentinels, tt.downAfter
		got := []int{s.Nodes(), s.Quorum(), s.DownAfterMillis(), s.FailoverTimeout()}
		want := []int{tt.nodes, tt.quorum, tt.downMillis, tt.failMills}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("sentinels %d, down-after %d: nodes, quorum, down-after, failover-timeout = %v, want %v", tt.sentinels, tt.downAfter, got, want)
				break
			}
		}
	}
}

func TestParseSentinelKeys(t *testing.T) {
	s, err := Parse([]byte("mode: sentinel\nmasters: 1\nreplicas: 2\nsentinels: 5\ncascade: true\ndown-after: 1500\n"), Default(), "spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Sentinels != 5 || !s.Cascade || s.DownAfter != 1500 || s.Replicas != 2 {
		t.Errorf("Parse = %+v", s)
	}
	if d := s.Diff(func() Spec { o := s; o.DownAfter = 1000; return o }()); !strings.Contains(d, "--down-after") {
		t.Errorf("Diff = %q, want it to name --down-after", d)
	}
}

func checkValidate(t *testing.T, s Spec, want []string) {
	t.Helper()
	testutil.ErrorNames(t, "Validate()", s.Validate(), want)
}
