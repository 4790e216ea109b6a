//go:build !nodeimage

package redisdock_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPublicPackagesTakePublicTypes holds the top-level packages that
// programs outside this module import to the rule that every exported
// function, method and struct field is written with types a caller can
// name: an internal type is given a public name by an alias (type Spec =
// spec.Spec), never used directly in a signature or field.
func TestPublicPackagesTakePublicTypes(t *testing.T) {
	for _, dir := range []string{"compose", "swarm", "images", "templates"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, where := range internalUses(f) {
				t.Errorf("%s: %s uses an internal type; give it a public name (an alias) in package %s", path, where, dir)
			}
		}
	}
}

// internalUses lists the exported declarations of f that name a type of
// an internal package.
func internalUses(f *ast.File) []string {
	internal := map[string]bool{}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := filepath.Base(p)
		if im.Name != nil {
			name = im.Name.Name
		}
		internal[name] = strings.Contains(p, "/internal/")
	}
	var out []string
	check := func(what string, n ast.Node) {
		if n != nil && namesInternal(n, internal) {
			out = append(out, what)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.IsExported() && (d.Recv == nil || exportedRecv(d.Recv)) {
				check("func "+d.Name.Name, d.Type)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.IsExported() && !ts.Assign.IsValid() {
					checkType(ts, check)
				}
			}
		}
	}
	return out
}

// checkType checks a struct's exported fields, or the whole of any other
// type.
func checkType(ts *ast.TypeSpec, check func(string, ast.Node)) {
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		check("type "+ts.Name.Name, ts.Type)
		return
	}
	for _, fl := range st.Fields.List {
		for _, n := range fl.Names {
			if n.IsExported() {
				check("field "+ts.Name.Name+"."+n.Name, fl.Type)
			}
		}
		if len(fl.Names) == 0 {
			check("embedded field of "+ts.Name.Name, fl.Type)
		}
	}
}

func exportedRecv(r *ast.FieldList) bool {
	t := r.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if g, ok := t.(*ast.IndexExpr); ok {
		t = g.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.IsExported()
}

func namesInternal(n ast.Node, internal map[string]bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && internal[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}
