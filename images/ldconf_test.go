package images

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestReadLdSoConf(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "ld.so.conf.d"), 0o755)
	write := func(name, s string) { os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644) }
	write("ld.so.conf", "# comment\n/opt/a/lib\ninclude ld.so.conf.d/*.conf\nhwcap 0 nosegneg\n/opt/b:/opt/c, /opt/d # trailing\ninclude ld.so.conf\n")
	write("ld.so.conf.d/2-z.conf", "/z\n")
	write("ld.so.conf.d/1-y.conf", "\n/y1\n  /y2  \n")
	write("ld.so.conf.d/ignored.txt", "/nope\n")

	got, err := readLdSoConf(filepath.Join(dir, "ld.so.conf"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/opt/a/lib", "/y1", "/y2", "/z", "/opt/b", "/opt/c", "/opt/d"}
	if !slices.Equal(got, want) {
		t.Errorf("dirs = %v, want %v", got, want)
	}
	if got, err := readLdSoConf(filepath.Join(dir, "missing.conf")); err != nil || len(got) != 0 {
		t.Errorf("missing file: %v, %v", got, err)
	}
}
