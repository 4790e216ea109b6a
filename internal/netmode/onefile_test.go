package netmode

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestModesLiveHere scans the module's Go files outside this package (tests
// left out) for a Network compared with a mode's name (== or != or a
// switch case). What a mode does is asked of the Mode (spec.Net()); which
// modes exist is Lookup/Names. So a mode added in one file (see
// TestAddingAMode) reaches every caller, and this test fails when a branch
// on a mode's name is written elsewhere.
func TestModesLiveHere(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	here, _ := os.Getwd()
	scanned := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == here || strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		scanned++
		for _, at := range modeBranches(t, path) {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s:%s: a branch on a network mode's name; ask the Mode (spec.Net(), netmode.Lookup) instead", rel, at)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 100 {
		t.Fatalf("scanned %d Go files under %s: not the module", scanned, root)
	}
}

// modeBranches returns the positions in file where a Network is compared
// with a mode's name.
func modeBranches(t *testing.T, file string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) &&
				(isNetwork(n.X) && namesMode(n.Y) || isNetwork(n.Y) && namesMode(n.X)) {
				out = append(out, strconv.Itoa(fset.Position(n.Pos()).Line))
			}
		case *ast.SwitchStmt:
			if n.Tag == nil || !isNetwork(n.Tag) {
				return true
			}
			for _, c := range n.Body.List {
				for _, e := range c.(*ast.CaseClause).List {
					if namesMode(e) {
						out = append(out, strconv.Itoa(fset.Position(e.Pos()).Line))
					}
				}
			}
		}
		return true
	})
	return out
}

// isNetwork reports x.Network (a spec's --network).
func isNetwork(e ast.Expr) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && s.Sel.Name == "Network"
}

// namesMode reports a mode's name: a string literal of every mode's
// Name (registered ones and the overlay), or a constant that holds one.
func namesMode(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		for _, m := range all() {
			if e.Value == strconv.Quote(m.Name()) {
				return true
			}
		}
	case *ast.Ident:
		return modeConsts[e.Name]
	case *ast.SelectorExpr:
		return modeConsts[e.Sel.Name]
	}
	return false
}

// modeConsts are the constants that hold a mode's name, here and in spec.
var modeConsts = map[string]bool{"BridgeName": true, "HostName": true, "NetworkBridge": true, "NetworkHost": true}
