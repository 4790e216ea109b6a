package node

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/provision"
	"github.com/redis-dock/redis-dock/internal/status"
)

// TestPassword: a node never runs open by accident; only --no-password
// (which compose files of --no-password clusters pass) lets it.
func TestPassword(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(file, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file    string
		noPass  bool
		want    string
		wantErr string
	}{
		{file, false, "s3cret", ""},
		{"", true, "", ""},
		{"", false, "", "--password-file"},
		{file, true, "", "--no-password"},
	}
	for _, tt := range tests {
		f := &flags{noPass: tt.noPass}
		f.PasswordFile = tt.file
		got, err := f.password()
		if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("file %q no-password %v: %q, %v; want %q and an error naming %q", tt.file, tt.noPass, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestOutIsWhereTheHostReads: a node writes its final config where the
// host-side commands read the password back (provision.StackConfigPath),
// on the data volume (a locked node's root is read-only).
func TestOutIsWhereTheHostReads(t *testing.T) {
	out := NewCommand(&status.Env{}).Flags().Lookup("out")
	if out == nil || out.DefValue != provision.StackConfigPath {
		t.Fatalf("--out default %v, want %s", out, provision.StackConfigPath)
	}
}
