package redisx

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// RedisError is an error reply of the server (-ERR ..., -MOVED ...).
type RedisError string

func (e RedisError) Error() string { return string(e) }

// errNil is the nil reply of the small RESP client.
var errNil = errors.New("redis: nil")

// appendCommand encodes one command as a RESP array of bulk strings.
func appendCommand(b []byte, args []any) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		var s string
		switch v := a.(type) {
		case string:
			s = v
		case []byte:
			s = string(v)
		case int:
			s = strconv.Itoa(v)
		case int64:
			s = strconv.FormatInt(v, 10)
		default:
			s = fmt.Sprint(v)
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, '\r', '\n')
		b = append(b, s...)
		b = append(b, '\r', '\n')
	}
	return b
}

// readReply reads one RESP2 reply: a string, an int64, a []any, or nil
// with errNil. A server error comes back as a RedisError.
func readReply(r *bufio.Reader) (any, error) {
	line, err := readLine(r)
	if err != nil {
		return nil, err
	}
	if len(line) == 0 {
		return nil, errors.New("redis: empty reply line")
	}
	body := string(line[1:])
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return nil, RedisError(body)
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		return readBulk(r, body)
	case '*':
		return readArray(r, body)
	}
	return nil, fmt.Errorf("redis: unexpected reply %q", line)
}

func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return nil, err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return nil, fmt.Errorf("redis: malformed reply line %q", line)
	}
	return line[:len(line)-2], nil
}

// length parses a bulk or array length; -1 is the nil reply (errNil).
func length(kind, size string) (int, error) {
	n, err := strconv.Atoi(size)
	if err != nil {
		return 0, fmt.Errorf("redis: bad %s length %q", kind, size)
	}
	if n < 0 {
		return 0, errNil
	}
	return n, nil
}

func readBulk(r *bufio.Reader, size string) (any, error) {
	n, err := length("bulk", size)
	if err != nil {
		return nil, err
	}
	b := make([]byte, n+2)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return string(b[:n]), nil
}

func readArray(r *bufio.Reader, size string) (any, error) {
	n, err := length("array", size)
	if err != nil {
		return nil, err
	}
	out := make([]any, n)
	for i := range out {
		v, err := readReply(r)
		var re RedisError
		if err != nil && !errors.Is(err, errNil) && !errors.As(err, &re) {
			return nil, err
		}
		if err != nil && errors.As(err, &re) {
			v = re
		}
		out[i] = v
	}
	return out, nil
}
