// Command aclprobe is the users test's witness on a TLS stack's overlay,
// independent of redis-dock's own client: as an ACL user (go-redis's
// cluster client) it writes keys its rules allow and tries what they do
// not, and it tries the default user with the stack's password. It
// prints what each attempt answered, as JSON.
//
//	aclprobe -seeds node-7000:7000,... -ca F -user U -user-password-file F -password-file F -n N
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

func main() {
	seeds := flag.String("seeds", "", "comma-separated host:port of every node")
	caFile := flag.String("ca", "", "the cluster's CA certificate")
	user := flag.String("user", "", "the ACL user")
	userPw := flag.String("user-password-file", "", "the user's password")
	pw := flag.String("password-file", "", "the stack's password (the default user's, were it on)")
	n := flag.Int("n", 100, "keys <user>:<i> to write")
	flag.Parse()
	cfg, err := tlsConfig(*caFile)
	if err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	addrs := strings.Split(*seeds, ",")
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, Username: *user, Password: read(*userPw), TLSConfig: cfg, MaxRedirects: 8})
	defer c.Close()
	out := map[string]string{}
	written := 0
	for i := range *n {
		if err := c.Set(ctx, fmt.Sprintf("%s:%d", *user, i), i, 0).Err(); err != nil {
			out["set_own"] = err.Error()
			break
		}
		written++
	}
	out["written"] = fmt.Sprint(written)
	out["set_other"] = answer(c.Set(ctx, "other", "v", 0).Err())
	out["flushall"] = answer(c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error { return m.FlushAll(ctx).Err() }))
	def := redis.NewClient(&redis.Options{Addr: addrs[0], TLSConfig: cfg, MaxRetries: -1, DisableIdentity: true})
	defer def.Close()
	out["auth_default"] = answer(def.Do(ctx, "AUTH", "default", read(*pw)).Err())
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func answer(err error) string {
	if err == nil {
		return "OK"
	}
	return err.Error()
}

// tlsConfig trusts a node whose certificate the cluster's CA signed,
// whatever address it is dialled at (go-redis follows MOVED to the task
// addresses nodes announce; the certificates name services).
func tlsConfig(caFile string) (*tls.Config, error) {
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM([]byte(read(caFile))) {
		return nil, errors.New("-ca: no PEM certificate")
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("no certificate")
			}
			_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: roots})
			return err
		}}, nil
}

func read(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	return strings.TrimSpace(string(b))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "aclprobe:", err)
	os.Exit(1)
}
