//go:build nodeimage

package redisx

import "context"

// WriteKeys sets prefix:i to i for i in 0..n-1, routing by slot.
func WriteKeys(ctx context.Context, seeds []string, a Auth, prefix string, n int) error {
	return liteWriteKeys(ctx, seeds, a, prefix, n)
}

// CheckKeys reads prefix:0..n-1 back and names the first missing or wrong.
func CheckKeys(ctx context.Context, seeds []string, a Auth, prefix string, n int) error {
	return liteCheckKeys(ctx, seeds, a, prefix, n)
}
