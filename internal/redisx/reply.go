package redisx

import (
	"fmt"
	"strings"
)

// Reply is one command's answer in a pipeline.
type Reply struct {
	Val any
	Err error
}

// Text returns a string reply.
func (r Reply) Text() (string, error) { return text(r.Val, r.Err) }

func text(v any, err error) (string, error) {
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("unexpected reply %T, want a string", v)
	}
	return s, nil
}

func integer(v any, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	i, ok := v.(int64)
	if !ok {
		return 0, fmt.Errorf("unexpected reply %T, want an integer", v)
	}
	return i, nil
}

// isAuthError reports a refused password: it will not go away by waiting.
func isAuthError(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "WRONGPASS") || strings.HasPrefix(msg, "NOAUTH")
}

// stringList returns an array reply of strings (keys, an address pair).
func stringList(v any, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("unexpected reply %T, want an array", v)
	}
	out := make([]string, len(list))
	for i, e := range list {
		if out[i], err = text(e, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}
