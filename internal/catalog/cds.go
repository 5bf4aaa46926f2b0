package catalog

import (
	"errors"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
)

// cdsField is one entry of a CDS byte-by-byte description.
type cdsField struct {
	start, end int // 1-based inclusive byte range
	format     string
	unit       string
	label      string
	expl       string
	nullable   bool
	nullValue  string
}

// The ReadMe's lines are matched by hand rather than with package regexp,
// which this was the only user of in the viewer: it added ~60 kB
// (compressed) to the WebAssembly download. cds_test.go checks each matcher
// against the regular expression it replaces:
//
//	cdsHeader   ^\s*Byte-by-byte Description of file:\s*(.*)$
//	cdsEntry    ^\s*(\d+)(?:\s*-\s*(\d+))?\s+([AIFEDaifed]\d+(?:\.\d+)?)\s+(\S+)\s+(\S+)\s*(.*)$
//	cdsNull     ^\?=(\S*)\s*
//	cdsLimits   ^\[[^\]]*\]\s*

// cdsSpace reports whether b is white space as regexp's \s means it.
func cdsSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r' }

// cdsSkip returns the index of the first byte of s at or after i that is not
// white space (cdsSpace: want true) or is (want false).
func cdsSkip(s string, i int, want bool) int {
	for i < len(s) && cdsSpace(s[i]) == want {
		i++
	}
	return i
}

// cdsDigits returns the index after the ASCII digits of s from i.
func cdsDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// cdsHeader matches a "Byte-by-byte Description of file:" line and returns
// the file list after it.
func cdsHeader(ln string) (files string, ok bool) {
	const head = "Byte-by-byte Description of file:"
	rest, ok := strings.CutPrefix(ln[cdsSkip(ln, 0, true):], head)
	if !ok {
		return "", false
	}
	files = rest[cdsSkip(rest, 0, true):]
	return files, strings.IndexByte(files, '\n') < 0 // "." does not match a newline
}

// cdsEntry matches an entry of a byte-by-byte description and returns its
// parts: first byte, last byte (empty for one byte), format, unit, label and
// the rest of the line (the explanation).
func cdsEntry(ln string) (e [6]string, ok bool) {
	i := cdsSkip(ln, 0, true)
	j := cdsDigits(ln, i)
	if j == i {
		return e, false
	}
	e[0] = ln[i:j]
	// an optional "- last" (the whole group or nothing)
	if k := cdsSkip(ln, j, true); k < len(ln) && ln[k] == '-' {
		k = cdsSkip(ln, k+1, true)
		if m := cdsDigits(ln, k); m > k {
			e[1], j = ln[k:m], m
		}
	}
	i = cdsSkip(ln, j, true)
	if i == j || i == len(ln) || !strings.ContainsRune("AIFEDaifed", rune(ln[i])) {
		return e, false
	}
	j = cdsDigits(ln, i+1)
	if j == i+1 {
		return e, false
	}
	if j < len(ln) && ln[j] == '.' {
		m := cdsDigits(ln, j+1)
		if m == j+1 {
			return e, false
		}
		j = m
	}
	e[2] = ln[i:j]
	// unit and label: two words, each after white space
	for w := 3; w <= 4; w++ {
		i = cdsSkip(ln, j, true)
		if i == j {
			return e, false
		}
		j = cdsSkip(ln, i, false)
		if j == i {
			return e, false
		}
		e[w] = ln[i:j]
	}
	e[5] = ln[cdsSkip(ln, j, true):]
	return e, strings.IndexByte(e[5], '\n') < 0 // "." does not match a newline
}

// cdsNull matches a "?=value" null marker at the start of s, returning the
// value and the length of the marker with the white space after it.
func cdsNull(s string) (value string, n int, ok bool) {
	if !strings.HasPrefix(s, "?=") {
		return "", 0, false
	}
	j := cdsSkip(s, 2, false)
	return s[2:j], cdsSkip(s, j, true), true
}

// cdsLimits returns the length of a "[limits]" prefix of s with the white
// space after it, or 0.
func cdsLimits(s string) int {
	if !strings.HasPrefix(s, "[") {
		return 0
	}
	k := strings.IndexByte(s, ']')
	if k < 0 {
		return 0
	}
	return cdsSkip(s, k+1, true)
}

// ReadCDS reads a CDS/VizieR fixed-width data file described by a ReadMe: the
// "Byte-by-byte Description of file:" section whose file list (names or glob patterns)
// matches dataName gives each column's byte range, format (A, I, F, E), unit, label and
// explanation ("?" marks nullable columns, "?=v" a null value).
func ReadCDS(readme, data, dataName string) (*Table, error) {
	fields, err := cdsDescription(readme, path.Base(dataName))
	if err != nil {
		return nil, fmt.Errorf("cds %q: %w", dataName, err)
	}
	t, err := cdsData(fields, strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n"))
	if err != nil {
		return nil, fmt.Errorf("cds %q: %w", dataName, err)
	}
	return t, nil
}

// parseMRT reads a machine-readable table: a ReadMe-style header with one byte-by-byte
// description, followed by the data after the last separator line.
func parseMRT(s string) (*Table, error) {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	fields, err := cdsDescription(s, "")
	if err != nil {
		return nil, err
	}
	last := -1
	for i, ln := range lines {
		t := strings.TrimSpace(ln)
		if len(t) >= 10 && (strings.Trim(t, "-") == "" || strings.Trim(t, "=") == "") {
			last = i
		}
	}
	if last < 0 {
		return nil, errors.New("no separator line before the data")
	}
	return cdsData(fields, lines[last+1:])
}

func globMatch(pattern, name string) bool {
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

func cdsDescription(readme, dataName string) ([]cdsField, error) {
	lines := strings.Split(strings.ReplaceAll(readme, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		files, ok := cdsHeader(lines[i])
		if !ok {
			continue
		}
		if dataName != "" {
			match := false
			for _, p := range strings.FieldsFunc(files, func(r rune) bool { return r == ' ' || r == ',' }) {
				if globMatch(p, dataName) || p == dataName {
					match = true
				}
			}
			if !match {
				continue
			}
		}
		// skip to the entries: after the dashes line following the "Bytes Format" header
		j := i + 1
		dashes := 0
		for ; j < len(lines) && dashes < 2; j++ {
			if strings.HasPrefix(strings.TrimSpace(lines[j]), "---") {
				dashes++
			}
		}
		var fields []cdsField
		for ; j < len(lines); j++ {
			ln := lines[j]
			if strings.HasPrefix(strings.TrimSpace(ln), "---") || strings.HasPrefix(strings.TrimSpace(ln), "===") {
				break
			}
			e, ok := cdsEntry(ln)
			if !ok {
				if len(fields) > 0 && strings.TrimSpace(ln) != "" {
					continue // continuation of an explanation
				}
				continue
			}
			f := cdsField{format: strings.ToUpper(e[2]), unit: e[3], label: e[4]}
			f.start, _ = strconv.Atoi(e[0])
			f.end = f.start
			if e[1] != "" {
				f.end, _ = strconv.Atoi(e[1])
			}
			if f.start < 1 || f.end < f.start || f.end > 1<<20 {
				return nil, fmt.Errorf("ReadMe line %d: bad byte range %q", j+1, strings.TrimSpace(ln))
			}
			ex := strings.TrimSpace(e[5])
			for {
				if n := cdsLimits(ex); n > 0 && !strings.HasPrefix(ex, "[*]") {
					ex = ex[n:]
					continue
				}
				if v, n, ok := cdsNull(ex); ok {
					f.nullable, f.nullValue = true, v
					ex = ex[n:]
					continue
				}
				if strings.HasPrefix(ex, "?") {
					f.nullable = true
					ex = strings.TrimSpace(ex[1:])
					continue
				}
				break
			}
			f.expl = ex
			if f.unit == "---" {
				f.unit = ""
			}
			fields = append(fields, f)
		}
		if len(fields) == 0 {
			return nil, fmt.Errorf("ReadMe line %d: byte-by-byte description without entries", i+1)
		}
		return fields, nil
	}
	if dataName != "" {
		return nil, fmt.Errorf("no byte-by-byte description matches file %q", dataName)
	}
	return nil, errors.New("no byte-by-byte description")
}

func cdsData(fields []cdsField, lines []string) (*Table, error) {
	var data []string
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		data = append(data, strings.TrimRight(ln, "\r"))
	}
	n := len(data)
	size := 0
	for _, ln := range data {
		size += len(ln) + 1
	}
	if n*len(fields) > 2*size+1024 {
		return nil, fmt.Errorf("%d data lines × %d columns: data lines are far shorter than the description", n, len(fields))
	}
	t := &Table{Format: "cds", Meta: map[string]string{}, Columns: make([]Column, len(fields)), nrows: n}
	for c, f := range fields {
		col := &t.Columns[c]
		col.Name, col.Unit, col.Description, col.Format = f.label, f.unit, f.expl, f.format
		switch f.format[0] {
		case 'A':
			col.Kind, col.Datatype, col.Str = KindString, "char", make([]string, n)
		case 'I':
			col.Kind, col.Datatype, col.Int = KindInt, "long", make([]int64, n)
		default:
			col.Kind, col.Datatype, col.Float = KindFloat, "double", make([]float64, n)
		}
		for r, ln := range data {
			v := ""
			if f.start-1 < len(ln) {
				v = strings.TrimSpace(ln[f.start-1 : min(f.end, len(ln))])
			}
			null := (f.nullValue != "" && v == f.nullValue) || (v == "" && col.Kind != KindString)
			if v == "" && col.Kind == KindString && f.nullable {
				null = true
			}
			if null {
				if col.Null == nil {
					col.Null = make([]bool, n)
				}
				col.Null[r] = true
			}
			switch col.Kind {
			case KindString:
				if !null {
					col.Str[r] = v
				}
			case KindInt:
				if null {
					continue
				}
				x, ok := parseIntText(v)
				if !ok {
					// Fortran I formats may hold blanks inside; fall back to a float column
					if fv, ok2 := parseFloatText(v); ok2 {
						x = int64(fv)
					} else {
						return nil, fmt.Errorf("data line %d column %q (bytes %d-%d): %q is not an integer", r+1, col.Name, f.start, f.end, v)
					}
				}
				col.Int[r] = x
			default:
				if null {
					col.Float[r] = math.NaN()
					continue
				}
				x, ok := parseFloatText(v)
				if !ok {
					return nil, fmt.Errorf("data line %d column %q (bytes %d-%d): %q is not a number", r+1, col.Name, f.start, f.end, v)
				}
				col.Float[r] = x
			}
		}
	}
	return t, nil
}
