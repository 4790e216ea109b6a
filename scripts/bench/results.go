package main

import (
	"fmt"
	"time"
)

// Keys of the measured quantities.
const (
	rdTotal    = "rd.total"
	rdStart    = "rd.start"
	rdBoot     = "rd.boot"
	rdDown     = "rd.down"
	tlsTotal   = "tls.total"
	tlsStart   = "tls.start"
	tlsBoot    = "tls.boot"
	tlsDown    = "tls.down"
	cliUp      = "cli.up"
	cliCreate  = "cli.create"
	cliOK      = "cli.ok"
	floorTotal = "floor.total"
	floorStart = "floor.start"
	floorPing  = "floor.ping"
	imgBuild   = "image.build"
)

// results holds every sample by key and cluster size.
type results struct {
	sizes []int
	data  map[string]map[int]sample
}

func newResults(sizes []int) *results {
	return &results{sizes: sizes, data: map[string]map[int]sample{}}
}

func (r *results) add(key string, n int, d time.Duration) {
	if r.data[key] == nil {
		r.data[key] = map[int]sample{}
	}
	r.data[key][n] = append(r.data[key][n], d)
}

func (r *results) get(key string, n int) sample { return r.data[key][n] }

// rows of the main table: label and key; a key of "" is a heading.
var rows = []struct{ label, key string }{
	{"redis-dock up, total", rdTotal},
	{"  start (network, containers)", rdStart},
	{"  bootstrap (to healthy)", rdBoot},
	{"  down --volumes", rdDown},
	{"redis-dock up --tls, total", tlsTotal},
	{"  start (certificates, network, containers)", tlsStart},
	{"  bootstrap (to healthy, over TLS)", tlsBoot},
	{"  down --volumes", tlsDown},
	{"redis-cli path: nodes up (PING)", cliUp},
	{"  --cluster create (redis-cli ran)", cliCreate},
	{"  --cluster create to all ok", cliOK},
	{"Docker floor: start + PING", floorTotal},
	{"  start (network, containers)", floorStart},
	{"  wait for PING", floorPing},
}

// table is the report: one column per cluster size, seconds as
// "median (min-max)", then the ratios of medians.
func (r *results) table() *table {
	t := &table{}
	head := []string{"seconds, median (min-max)"}
	for _, n := range r.sizes {
		head = append(head, fmt.Sprintf("N=%d", n))
	}
	t.add(head...)
	for _, row := range rows {
		if r.data[row.key] == nil {
			continue
		}
		cells := []string{row.label}
		for _, n := range r.sizes {
			cells = append(cells, cell(r.get(row.key, n)))
		}
		t.add(cells...)
	}
	t.add(r.ratioRow("bootstrap: redis-cli / redis-dock", cliOK, rdBoot)...)
	t.add(r.ratioRow("total: redis-dock / floor", rdTotal, floorTotal)...)
	if r.data[tlsTotal] != nil {
		t.add(r.ratioRow("total: up --tls / up (goal <= 1.3)", tlsTotal, rdTotal)...)
	}
	return t
}

func (r *results) ratioRow(label, a, b string) []string {
	cells := []string{label}
	for _, n := range r.sizes {
		cells = append(cells, ratio(r.get(a, n).median(), r.get(b, n).median()))
	}
	return cells
}
