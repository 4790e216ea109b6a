package topology

import (
	"strconv"
	"strings"
)

// KeySlot is the hash slot of a key as Redis Cluster computes it: CRC16
// (XMODEM) of the key, or of its hash tag (the part between the first
// "{" and the next "}", when not empty), modulo 16384.
func KeySlot(key string) int {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	return int(crc16(key)) % SlotCount
}

// crc16 is CRC-16/XMODEM (polynomial 0x1021, initial value 0), as in
// Redis's crc16.c.
func crc16(s string) uint16 {
	var crc uint16
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for b := 0; b < 8; b++ {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// KeyInSlot returns a key named prefix<n> that hashes to slot: the first
// such n. Every slot has one below n = 100,000 for short prefixes.
func KeyInSlot(prefix string, slot int) string {
	for n := 0; ; n++ {
		k := prefix + strconv.Itoa(n)
		if KeySlot(k) == slot {
			return k
		}
	}
}
