package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// sample is one measured quantity, one value per round.
type sample []time.Duration

func (s sample) sorted() sample {
	out := append(sample(nil), s...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// median is the middle value, the mean of the middle two for an even
// count, and 0 for no values.
func (s sample) median() time.Duration {
	if len(s) == 0 {
		return 0
	}
	o := s.sorted()
	m := len(o) / 2
	if len(o)%2 == 1 {
		return o[m]
	}
	return (o[m-1] + o[m]) / 2
}

// span is the smallest and the largest value.
func (s sample) span() (lo, hi time.Duration) {
	if len(s) == 0 {
		return 0, 0
	}
	o := s.sorted()
	return o[0], o[len(o)-1]
}

// seconds formats d in seconds with two decimals.
func seconds(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

// cell is "median (min-max)" in seconds; the median alone for one value,
// "-" for none.
func cell(s sample) string {
	switch len(s) {
	case 0:
		return "-"
	case 1:
		return seconds(s[0])
	}
	lo, hi := s.span()
	return fmt.Sprintf("%s (%s-%s)", seconds(s.median()), seconds(lo), seconds(hi))
}

// ratio is a/b as "12.3x", "-" when either is missing.
func ratio(a, b time.Duration) string {
	if a <= 0 || b <= 0 {
		return "-"
	}
	r := float64(a) / float64(b)
	if r >= 10 {
		return fmt.Sprintf("%.1fx", r)
	}
	return fmt.Sprintf("%.2fx", r)
}

// table is rows of cells printed in aligned columns: the first column
// left-aligned, the others right-aligned.
type table struct {
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) render(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		var line strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if i == 0 {
				line.WriteString(c + pad)
			} else {
				line.WriteString("  " + pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
