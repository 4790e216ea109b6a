package cluster

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/redis-dock/redis-dock/internal/spec"
	"github.com/redis-dock/redis-dock/internal/testutil"
)

func TestIntegrationHostNetwork(t *testing.T) {
	ctx := context.Background()
	d, s, o, res := upTest(t, "host", func(s *spec.Spec) { s.Network = spec.NetworkHost })
	testutil.AssertClientTopology(t, res.Seeds(), res.Spec.Password, s.Masters, s.Replicas)
	rdb := withKeys(t, res, "k", 10000)
	testutil.RedisCliCheck(t, res.Seeds()[0], res.Spec.Password)
	checkEndpoints(t, rdb, s, s.BindAddress()) // nodes announce the bind address (127.0.0.1 here)
	testutil.AssertNoPasswordInInspect(t, d, s.Name, res.Spec.Password)
	if again, err := Up(ctx, s, o); err != nil || !again.Existing {
		t.Fatalf("second up: %v", err)
	}
	st, err := GetStatus(ctx, s.Name, o)
	if err != nil || !st.Healthy || st.Network != spec.NetworkHost {
		t.Fatalf("status: %+v, %v", st, err)
	}
	checkRestart(t, rdb, s, o)
	checkDown(t, d, s.Name, o)
}

func TestIntegrationHostFailover(t *testing.T) {
	_, s, o, res := upTest(t, "hostfo", func(s *spec.Spec) { s.Network = spec.NetworkHost })
	failoverUnderWrites(t, s.Name, o, res)
}

func TestIntegrationHostPortConflict(t *testing.T) {
	d := testutil.ParallelDocker(t)
	ctx := context.Background()
	for _, bus := range []bool{false, true} {
		s, o := newSpec(t, d, "hostbusy")
		s.Network = spec.NetworkHost
		port := s.Port + 1
		if bus {
			port = s.FirstBusPort() + 1
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Up(ctx, s, o)
		l.Close()
		if err == nil || !strings.Contains(err.Error(), "port "+strconv.Itoa(port)) || !errors.Is(err, ErrPortInUse) {
			t.Fatalf("want an error naming port %d, got %v", port, err)
		}
		if !strings.Contains(err.Error(), "pid ") {
			t.Errorf("the error does not name the process holding the port: %v", err)
		}
		assertNothingLeft(t, d, s.Name)
	}
}

func TestHostValidation(t *testing.T) {
	s := spec.Default()
	s.Network, s.Bind, s.NoPassword = spec.NetworkHost, "10.1.2.3", true
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "--no-password") {
		t.Errorf("non-loopback bind without a password: %v", err)
	}
	s.Bind, s.NoPassword = "0.0.0.0", false
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "--announce-ip") {
		t.Errorf("bind 0.0.0.0 without --announce-ip: %v", err)
	}
	s.Bind, s.AnnounceIP = "10.1.2.3", "127.0.0.1"
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "--announce-ip 127.0.0.1") {
		t.Errorf("loopback announce with a public bind: %v", err)
	}
	s.Bind, s.AnnounceIP, s.NoPassword = "127.0.0.1", "", true
	if err := s.Validate(); err != nil {
		t.Errorf("loopback without password should be allowed: %v", err)
	}
}
