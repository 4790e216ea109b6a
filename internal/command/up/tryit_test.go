//go:build !nodeimage

package up

import (
	"bytes"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/spec"
)

func TestPrintTryIt(t *testing.T) {
	s := spec.Default()
	s.Name = "shop"
	var b bytes.Buffer
	printTryIt(&b, s, "-c -p 7000")
	if !strings.Contains(b.String(), `REDISCLI_AUTH="$(redis-dock password --name shop)" redis-cli -c -p 7000`) {
		t.Errorf("with a password:\n%s", b.String())
	}
	b.Reset()
	s.NoPassword = true
	printTryIt(&b, s, "-c -p 7000")
	if strings.Contains(b.String(), "REDISCLI_AUTH") || !strings.Contains(b.String(), "\n  redis-cli -c -p 7000\n") {
		t.Errorf("without a password:\n%s", b.String())
	}
}

func TestPrintTryItTLS(t *testing.T) {
	s := spec.Default()
	s.Name, s.TLS = "shop", true
	var b bytes.Buffer
	printTryIt(&b, s, "-c -p 7000")
	for _, want := range []string{
		"redis-dock tls ca --name shop --out shop-ca.pem\n",
		`REDISCLI_AUTH="$(redis-dock password --name shop)" redis-cli --tls --cacert shop-ca.pem -c -p 7000`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("with --tls, want %q in:\n%s", want, b.String())
		}
	}
	b.Reset()
	s.TLSClientAuth = true
	printTryIt(&b, s, "-c -p 7000")
	if !strings.Contains(b.String(), "redis-cli --tls --cacert shop-ca.pem --cert client.crt --key client.key -c -p 7000") {
		t.Errorf("with --tls-client-auth:\n%s", b.String())
	}
}

func TestPrintTryItUsers(t *testing.T) {
	s := spec.Default()
	s.Name, s.Users = "shop", []string{"app:~app:* +@read"}
	var b bytes.Buffer
	printTryIt(&b, s, "-c -p 7000")
	if !strings.Contains(b.String(), `REDISCLI_AUTH="$(redis-dock password --name shop --user app)" redis-cli --user app -c -p 7000`) {
		t.Errorf("with --user app:\n%s", b.String())
	}
	b.Reset()
	s.Users, s.NoDefaultUser = nil, true
	printTryIt(&b, s, "-c -p 7000")
	if !strings.Contains(b.String(), `--user redis-dock)" redis-cli --user redis-dock -c`) {
		t.Errorf("with --no-default-user only:\n%s", b.String())
	}
}

// TestPrintTryItSentinelUsers: a sentinel group's line asks a sentinel,
// which knows the default user only: no --user, the group's password.
func TestPrintTryItSentinelUsers(t *testing.T) {
	s := spec.Default()
	s.Name, s.Mode, s.Users, s.NoDefaultUser = "shop", spec.ModeSentinel, []string{"app:~app:* +@read"}, true
	var b bytes.Buffer
	printTryIt(&b, s, "-p 7002 SENTINEL GET-MASTER-ADDR-BY-NAME shop")
	if want := `REDISCLI_AUTH="$(redis-dock password --name shop)" redis-cli -p 7002 SENTINEL`; !strings.Contains(b.String(), want) || strings.Contains(b.String(), "--user") {
		t.Errorf("want %q and no --user in:\n%s", want, b.String())
	}
}
