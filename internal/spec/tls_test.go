package spec

import (
	"strings"
	"testing"
)

func TestValidateTLS(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *Spec)
		want string // "" is valid
	}{
		{"tls", func(s *Spec) { s.TLS = true }, ""},
		{"tls on host", func(s *Spec) { s.TLS, s.Network = true, NetworkHost }, ""},
		{"client auth", func(s *Spec) { s.TLS, s.TLSClientAuth = true, true }, ""},
		{"brought", func(s *Spec) { s.TLS, s.TLSCA, s.TLSCertDir = true, "ca.pem", "certs" }, ""},
		{"client auth without tls", func(s *Spec) { s.TLSClientAuth = true }, "--tls-client-auth: needs --tls"},
		{"ca without tls", func(s *Spec) { s.TLSCA = "ca.pem" }, "--tls-ca: needs --tls"},
		{"cert dir without tls", func(s *Spec) { s.TLSCertDir = "certs" }, "--tls-cert-dir: needs --tls"},
		{"ca without certs", func(s *Spec) { s.TLS, s.TLSCA = true, "ca.pem" }, "give both"},
		{"certs without ca", func(s *Spec) { s.TLS, s.TLSCertDir = true, "certs" }, "give both"},
		{"days", func(s *Spec) { s.TLS, s.TLSDays = true, 0 }, "--tls-days 0"},
		{"sentinel", func(s *Spec) { s.TLS, s.Mode, s.Masters, s.Replicas = true, ModeSentinel, 1, 1 }, ""},
		{"a tls directive", func(s *Spec) { s.Config = []string{"tls-port 7100"} }, "set by --tls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Default()
			tt.edit(&s)
			err := s.Validate()
			if tt.want == "" && err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Validate: %v, want %q", err, tt.want)
			}
		})
	}
}

// TestNodeSettingsTLS: --tls reaches the renderer's settings, and
// --tls-client-auth turns client certificates from optional to required.
func TestNodeSettingsTLS(t *testing.T) {
	s := Default()
	if s.NodeSettings().TLS != nil {
		t.Fatal("TLS settings without --tls")
	}
	s.TLS = true
	got := s.NodeSettings().TLS
	if got == nil || got.AuthClients || got.CertFile != "/etc/redis/tls/node.crt" || got.CAFile != "/etc/redis/tls/ca.crt" {
		t.Fatalf("TLS settings %+v", got)
	}
	s.TLSClientAuth = true
	if !s.NodeSettings().TLS.AuthClients {
		t.Fatal("--tls-client-auth did not make clients show a certificate")
	}
}
