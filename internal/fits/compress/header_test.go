package compress

import (
	"fmt"
	"strconv"
	"strings"
)

// testHeader is a minimal FITS header reader for these tests. Package fits
// imports this package for its tile decoders, so the tests here cannot import
// fits (an import cycle); they only need a few keyword values.
type testHeader struct {
	vals map[string]string // raw value field, first occurrence of each keyword
}

// parseTestHeader reads 80-character cards up to END.
func parseTestHeader(b []byte) (*testHeader, error) {
	h := &testHeader{vals: map[string]string{}}
	for i := 0; i+80 <= len(b); i += 80 {
		c := string(b[i : i+80])
		key := strings.TrimSpace(c[:8])
		if key == "END" {
			return h, nil
		}
		if c[8:10] != "= " {
			continue
		}
		if _, dup := h.vals[key]; !dup {
			h.vals[key] = c[10:]
		}
	}
	return nil, fmt.Errorf("no END card")
}

func (h *testHeader) value(key string) (string, bool) {
	v, ok := h.vals[key]
	if !ok {
		return "", false
	}
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "'") {
		if j := strings.Index(v[1:], "'"); j >= 0 {
			return v[:j+2], true
		}
		return v, true
	}
	if j := strings.IndexByte(v, '/'); j >= 0 {
		v = strings.TrimSpace(v[:j])
	}
	return v, true
}

// String returns a string value without quotes and trailing blanks.
func (h *testHeader) String(key string) (string, bool) {
	v, ok := h.value(key)
	if !ok || !strings.HasPrefix(v, "'") || len(v) < 2 {
		return "", false
	}
	return strings.TrimRight(strings.ReplaceAll(v[1:len(v)-1], "''", "'"), " "), true
}

// Int returns an integer value.
func (h *testHeader) Int(key string) (int64, bool) {
	v, ok := h.value(key)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

// Float returns a numeric value.
func (h *testHeader) Float(key string) (float64, bool) {
	v, ok := h.value(key)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(v, "D", "E"), 64)
	return f, err == nil
}

// Bool returns a logical value.
func (h *testHeader) Bool(key string) (bool, bool) {
	v, ok := h.value(key)
	if !ok || (v != "T" && v != "F") {
		return false, false
	}
	return v == "T", true
}
