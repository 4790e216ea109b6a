// Package nodeagent is what the node image's redis-dock does inside a
// Swarm task or compose container: find the task's own address on the
// cluster's network, finish redis.conf with it and the password, start
// redis-server, announce a changed address to the other nodes, and resolve
// the nodes by their service names. It imports no Docker SDK and no
// compose-go, so the in-image binary stays small.
package nodeagent

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// AddrIn returns this container's IPv4 address inside subnet. A task on an
// overlay network has several interfaces (the stack's network, ingress,
// docker_gwbridge); only the subnet tells which one the cluster uses.
func AddrIn(subnet netip.Prefix) (netip.Addr, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return netip.Addr{}, fmt.Errorf("failed to list interface addresses: %w", err)
	}
	return addrIn(addrs, subnet)
}

func addrIn(addrs []net.Addr, subnet netip.Prefix) (netip.Addr, error) {
	var seen []string
	for _, a := range addrs {
		p, err := netip.ParsePrefix(a.String())
		if err != nil {
			continue
		}
		ip := p.Addr().Unmap()
		seen = append(seen, ip.String())
		if ip.Is4() && subnet.Contains(ip) {
			return ip, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("--subnet %s: no interface address inside it (addresses: %s); is the task attached to the cluster's network?",
		subnet, strings.Join(seen, " "))
}
