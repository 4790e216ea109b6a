package docker

import (
	"slices"
	"testing"
)

func TestContainerConfigLocksDown(t *testing.T) {
	_, host, _ := ContainerConfig(NodeSpec{Name: "n", Network: "net", Volume: "n-data", ConfigVolume: "n-conf",
		PrivateVolume: "n-private", Memory: 256 << 20, NanoCPUs: 5e8})
	if !slices.Equal(host.CapDrop, []string{"ALL"}) || !slices.Equal(host.SecurityOpt, []string{"no-new-privileges"}) ||
		!host.ReadonlyRootfs || host.PidsLimit == nil || *host.PidsLimit != PidsLimit || host.Tmpfs["/tmp"] == "" {
		t.Errorf("host config %+v: want cap-drop ALL, no-new-privileges, read-only root, pids limit, /tmp tmpfs", host)
	}
	if host.Memory != 256<<20 || host.MemorySwap != 256<<20 || host.NanoCPUs != 5e8 {
		t.Errorf("limits: memory %d, swap %d, cpus %d", host.Memory, host.MemorySwap, host.NanoCPUs)
	}
	var targets []string
	for _, m := range host.Mounts {
		targets = append(targets, m.Source+":"+m.Target)
	}
	if want := []string{"n-data:/data", "n-conf:" + ConfigDir, "n-private:" + PrivateDir}; !slices.Equal(targets, want) {
		t.Errorf("mounts %v, want %v", targets, want)
	}
	// a node made without a config volume (as before locked containers)
	// keeps a writable root: its config lives in the image's /etc/redis
	_, old, _ := ContainerConfig(NodeSpec{Name: "n", Network: "net", Volume: "n-data"})
	if old.ReadonlyRootfs || len(old.Mounts) != 1 || old.Memory != 0 {
		t.Errorf("without a config volume: read-only %v, mounts %v, memory %d", old.ReadonlyRootfs, old.Mounts, old.Memory)
	}
}

func TestFilesAreCopiedAtTheirVolume(t *testing.T) {
	files := []File{{Path: "/etc/redis/redis.conf"}, {Path: "/etc/redis/tls/ca.crt"}, {Path: "/etc/redis-dock/ca.key"}}
	groups := byDir(files, ConfigDir, PrivateDir)
	if len(groups) != 2 || copyRoot(groups[0]) != ConfigDir || copyRoot(groups[1]) != PrivateDir {
		t.Fatalf("groups %v", groups)
	}
	root, _, err := tarFiles(groups[0])
	if err != nil || root != ConfigDir {
		t.Errorf("tar root %q, err %v; want %s", root, err, ConfigDir)
	}
	if r := copyRoot([]File{{Path: "/etc/redis/tls/a"}, {Path: "/etc/redis/redis.conf"}}); r != ConfigDir {
		t.Errorf("copyRoot %q, want %s", r, ConfigDir)
	}
	if r := copyRoot([]File{{Path: "/a/b"}, {Path: "/c/d"}}); r != "/" {
		t.Errorf("copyRoot %q, want /", r)
	}
}
