package main

import (
	"strings"
	"testing"
	"time"
)

func ms(v ...int) sample {
	out := sample{}
	for _, x := range v {
		out = append(out, time.Duration(x)*time.Millisecond)
	}
	return out
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   sample
		want time.Duration
	}{
		{"empty", nil, 0},
		{"one", ms(700), 700 * time.Millisecond},
		{"odd, unsorted", ms(900, 100, 500), 500 * time.Millisecond},
		{"even: mean of the middle two", ms(400, 100, 200, 1000), 300 * time.Millisecond},
		{"outlier does not move it", ms(1000, 1100, 60000), 1100 * time.Millisecond},
	} {
		if got := tc.in.median(); got != tc.want {
			t.Errorf("%s: median(%v) = %v, want %v", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestMedianLeavesSampleUnsorted(t *testing.T) {
	s := ms(3, 1, 2)
	s.median()
	if s[0] != 3*time.Millisecond {
		t.Fatalf("median sorted its input: %v", s)
	}
}

func TestCell(t *testing.T) {
	for _, tc := range []struct {
		in   sample
		want string
	}{
		{nil, "-"},
		{ms(1234), "1.23"},
		{ms(2500, 1000, 1500), "1.50 (1.00-2.50)"},
		{ms(16040, 15990), "16.02 (15.99-16.04)"},
	} {
		if got := cell(tc.in); got != tc.want {
			t.Errorf("cell(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRatio(t *testing.T) {
	for _, tc := range []struct {
		a, b time.Duration
		want string
	}{
		{16 * time.Second, 1280 * time.Millisecond, "12.5x"},
		{5750 * time.Millisecond, 5 * time.Second, "1.15x"},
		{time.Second, 0, "-"},
		{0, time.Second, "-"},
	} {
		if got := ratio(tc.a, tc.b); got != tc.want {
			t.Errorf("ratio(%v, %v) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestResultsTable(t *testing.T) {
	r := newResults([]int{6, 30})
	for _, v := range []int{2600, 2500, 2800} {
		r.add(rdTotal, 6, time.Duration(v)*time.Millisecond)
	}
	r.add(rdBoot, 6, 2*time.Second)
	r.add(rdBoot, 30, time.Second)
	r.add(cliOK, 30, 16*time.Second)
	r.add(floorTotal, 6, 2*time.Second)
	var b strings.Builder
	if err := r.table().render(&b); err != nil {
		t.Fatal(err)
	}
	want := `seconds, median (min-max)                       N=6   N=30
redis-dock up, total               2.60 (2.50-2.80)      -
  bootstrap (to healthy)                       2.00   1.00
  --cluster create to all ok                      -  16.00
Docker floor: start + PING                     2.00      -
bootstrap: redis-cli / redis-dock                 -  16.0x
total: redis-dock / floor                     1.30x      -
`
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("6, 30,60")
	if err != nil || len(got) != 3 || got[0] != 6 || got[1] != 30 || got[2] != 60 {
		t.Fatalf("parseSizes = %v, %v", got, err)
	}
	for _, bad := range []string{"", "4", "7", "6,x", "6,,30"} {
		if _, err := parseSizes(bad); err == nil || !strings.Contains(err.Error(), "-n") {
			t.Errorf("parseSizes(%q): want an error naming -n, got %v", bad, err)
		}
	}
}

func TestRotate(t *testing.T) {
	k := []string{"a", "b", "c"}
	if got := strings.Join(rotate(k, 1), ","); got != "b,c,a" {
		t.Errorf("rotate(1) = %s", got)
	}
	if got := strings.Join(rotate(k, 3), ","); got != "a,b,c" {
		t.Errorf("rotate(3) = %s", got)
	}
}
