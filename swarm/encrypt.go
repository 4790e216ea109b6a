package swarm

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/status"
)

// IPsec is what is known of a kernel's IPsec, as Swarm's encrypted overlay
// needs it: ESP transport-mode states with AEAD rfc4106(gcm(aes)). Where
// the kernel lacks them, Docker still creates the network and starts the
// tasks, logs "Failed Adding ... SA ...: function not implemented" as a
// warning, and keeps the policies that send VXLAN only through ESP: every
// packet between hosts is dropped, with no error anywhere a user looks.
type IPsec struct {
	Known  bool   // the kernel's configuration could be read
	OK     bool   // it can do what Swarm needs
	Reason string // why not, or where it was read
}

// ipsecOptions are the kernel options Swarm's encryption needs, and what
// each gives.
var ipsecOptions = []struct{ option, what string }{
	{"CONFIG_XFRM_USER", "no IPsec configuration interface (xfrm netlink)"},
	{"CONFIG_INET_ESP", "no IPsec ESP"},
	{"CONFIG_CRYPTO_GCM", "no AES-GCM, the cipher Swarm's ESP uses"},
}

// judgeIPsec judges a kernel from its build configuration (the text of
// /proc/config.gz or /boot/config-RELEASE; "" when neither is there) and
// its loaded modules (/proc/modules; "" when the kernel has none).
func judgeIPsec(config, modules, from string) IPsec {
	if config != "" {
		set := map[string]bool{}
		for _, line := range strings.Split(config, "\n") {
			if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && (v == "y" || v == "m") {
				set[k] = true
			}
		}
		for _, o := range ipsecOptions {
			if !set[o.option] {
				return IPsec{Known: true, Reason: fmt.Sprintf("%s (%s is not set in %s)", o.what, o.option, from)}
			}
		}
		return IPsec{Known: true, OK: true, Reason: "ESP and AES-GCM are in " + from}
	}
	for _, line := range strings.Split(modules, "\n") {
		if strings.HasPrefix(line, "esp4 ") {
			return IPsec{Known: true, OK: true, Reason: "the esp4 module is loaded"}
		}
	}
	return IPsec{Reason: "neither the kernel's configuration nor an esp4 module was found"}
}

// LocalIPsec judges this machine's kernel.
func LocalIPsec() IPsec {
	release := strings.TrimSpace(readFile("/proc/sys/kernel/osrelease"))
	from, config := "/proc/config.gz", readGzip("/proc/config.gz")
	if config == "" && release != "" {
		from, config = "/boot/config-"+release, readFile("/boot/config-"+release)
	}
	return judgeIPsec(config, readFile("/proc/modules"), from)
}

// KernelRelease is this machine's kernel release ("" when unknown).
func KernelRelease() string { return strings.TrimSpace(readFile("/proc/sys/kernel/osrelease")) }

// checkEncrypted refuses --encrypted when the engine runs on this
// machine's kernel (a local socket or loopback address, and the same
// kernel release: the local engine or a lab host) and that kernel cannot
// do ESP. An engine elsewhere cannot be judged from here.
func checkEncrypted(ctx context.Context, d *docker.Client, log *status.Logger) error {
	st, err := d.SwarmState(ctx)
	if err != nil {
		return err
	}
	if !d.OnThisMachine() || st.Kernel == "" || st.Kernel != KernelRelease() {
		log.Infof(" • --encrypted: the engine's kernel (%s) is not this machine's; its IPsec support is not checked", st.Kernel)
		return nil
	}
	ip := LocalIPsec()
	switch {
	case !ip.Known:
		log.Infof(" • --encrypted: could not tell whether kernel %s can do IPsec ESP: %s", st.Kernel, ip.Reason)
		return nil
	case !ip.OK:
		return fmt.Errorf("--encrypted: the engine runs on kernel %s, which has %s; Docker would create the network "+
			"and then drop all traffic between hosts (it only logs that adding the ESP keys failed): "+
			"deploy without --encrypted, or on hosts whose kernel has ESP and AES-GCM", st.Kernel, ip.Reason)
	}
	return nil
}

func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

func readGzip(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	z, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return ""
	}
	b, err := io.ReadAll(z)
	if err != nil {
		return ""
	}
	return string(b)
}

// CheckEncryptedRender is stack render's view: the stack file may be
// deployed anywhere, so a kernel here that cannot do ESP is only worth
// a warning ("" when there is none to give).
func CheckEncryptedRender() string {
	ip := LocalIPsec()
	if !ip.Known || ip.OK {
		return ""
	}
	return fmt.Sprintf("--encrypted: this machine's kernel %s has %s; deployed on it, the encrypted overlay drops all traffic between hosts",
		KernelRelease(), ip.Reason)
}

// encrypted turns on IPsec between hosts in a stack file's network, as
// `docker network create --opt encrypted` does.
func encrypted(n types.NetworkConfig) types.NetworkConfig {
	n.DriverOpts = map[string]string{docker.OptEncrypted: ""}
	return n
}
