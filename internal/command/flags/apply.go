package flags

import (
	"github.com/spf13/pflag"

	"github.com/redis-dock/redis-dock/internal/spec"
)

type pflagFlag = pflag.Flag

// apply copies the field behind flag name from src into dst.
func apply(dst *spec.Spec, src spec.Spec, name string) {
	switch name {
	case "name":
		dst.Name = src.Name
	case "mode":
		dst.Mode = src.Mode
	case "masters":
		dst.Masters = src.Masters
	case "replicas":
		dst.Replicas = src.Replicas
	case "port":
		dst.Port = src.Port
	case "bus-port":
		dst.BusPort = src.BusPort
	case "network":
		dst.Network = src.Network
	case "host-ip":
		dst.HostIP = src.HostIP
	case "bind":
		dst.Bind = src.Bind
	case "announce-ip":
		dst.AnnounceIP = src.AnnounceIP
	case "endpoint":
		dst.Endpoint = src.Endpoint
	case "image":
		dst.Image = src.Image
	case "redis-binary":
		dst.RedisBinary = src.RedisBinary
	case "password":
		dst.Password = src.Password
	case "no-password":
		dst.NoPassword = src.NoPassword
	case "password-file":
		dst.PasswordFile = src.PasswordFile
	case "node-timeout":
		dst.NodeTimeout = src.NodeTimeout
	case "appendonly":
		dst.AppendOnly = src.AppendOnly
	case "config":
		dst.Config = src.Config
	case "subnet":
		dst.Subnet = src.Subnet
	case "wait":
		dst.Wait = src.Wait
	case "sentinels":
		dst.Sentinels = src.Sentinels
	case "cascade":
		dst.Cascade = src.Cascade
	case "down-after":
		dst.DownAfter = src.DownAfter
	}
}
