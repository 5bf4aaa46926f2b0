package catalog

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ReadIPAC parses an IPAC table (IRSA format): `\keyword = value` and `\ comment` lines,
// then up to four '|'-delimited header lines (names, types, units, nulls), then
// fixed-width data lines whose columns are delimited by the header's '|' positions.
func ReadIPAC(text string) (*Table, error) {
	t, err := parseIPAC(text)
	if err != nil {
		return nil, fmt.Errorf("ipac: %w", err)
	}
	return t, nil
}

func parseIPAC(s string) (*Table, error) {
	t := &Table{Format: "ipac", Meta: map[string]string{}}
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var hdr []string
	i := 0
	for ; i < len(lines); i++ {
		ln := lines[i]
		if strings.HasPrefix(ln, "\\") {
			body := ln[1:]
			if strings.HasPrefix(body, " ") || !strings.Contains(body, "=") {
				continue // comment
			}
			eq := strings.IndexByte(body, '=')
			k := strings.TrimSpace(body[:eq])
			v := strings.TrimSpace(body[eq+1:])
			if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
				v = v[1 : len(v)-1]
			}
			if old, ok := t.Meta[k]; ok {
				v = old + v
			}
			t.Meta[k] = v
			continue
		}
		if strings.HasPrefix(ln, "|") {
			hdr = append(hdr, strings.TrimRight(ln, " \t"))
			continue
		}
		if strings.TrimSpace(ln) == "" && len(hdr) == 0 {
			continue
		}
		break
	}
	if len(hdr) == 0 {
		return nil, errors.New("no '|' header line")
	}
	if len(hdr) > 4 {
		return nil, fmt.Errorf("%d header lines ('|'), at most 4 allowed", len(hdr))
	}
	// bar positions from the first header line
	var bars []int
	for k := 0; k < len(hdr[0]); k++ {
		if hdr[0][k] == '|' {
			bars = append(bars, k)
		}
	}
	if len(bars) < 2 {
		return nil, errors.New("header line needs at least two '|'")
	}
	ncol := len(bars) - 1
	cell := func(line string, c int) string {
		a, b := bars[c]+1, bars[c+1]
		if a >= len(line) {
			return ""
		}
		if b > len(line) {
			b = len(line)
		}
		return strings.TrimSpace(line[a:b])
	}
	// header lines use their own '|' positions when they have as many as the first line
	// (tolerates misaligned type/unit/null lines)
	hbars := func(line string) []int {
		var bs []int
		for k := 0; k < len(line); k++ {
			if line[k] == '|' {
				bs = append(bs, k)
			}
		}
		if len(bs) == len(bars) {
			return bs
		}
		return bars
	}
	hb := make([][]int, len(hdr))
	for k, h := range hdr {
		hb[k] = hbars(h)
	}
	hcell := func(k int, c int) string {
		line, bars := hdr[k], hb[k]
		a, b := bars[c]+1, bars[c+1]
		if a >= len(line) {
			return ""
		}
		if b > len(line) {
			b = len(line)
		}
		return strings.Trim(line[a:b], " -")
	}
	t.Columns = make([]Column, ncol)
	types := make([]string, ncol)
	nullv := make([]string, ncol)
	for c := 0; c < ncol; c++ {
		t.Columns[c].Name = hcell(0, c)
		if t.Columns[c].Name == "" {
			return nil, fmt.Errorf("column %d has no name", c+1)
		}
		nullv[c] = "null"
		if len(hdr) > 1 {
			types[c] = strings.ToLower(hcell(1, c))
		}
		if len(hdr) > 2 {
			t.Columns[c].Unit = hcell(2, c)
		}
		if len(hdr) > 3 {
			nb := hb[3]
			nullv[c] = strings.TrimSpace(hdr[3][min(nb[c]+1, len(hdr[3])):min(nb[c+1], len(hdr[3]))])
		}
	}
	var data []string
	for ; i < len(lines); i++ {
		ln := lines[i]
		if strings.TrimSpace(ln) == "" || strings.HasPrefix(ln, "\\") {
			continue
		}
		if strings.HasPrefix(ln, "|") {
			return nil, fmt.Errorf("line %d: header line after data", i+1)
		}
		data = append(data, ln)
	}
	n := len(data)
	if n*ncol > 2*len(s)+1024 {
		return nil, fmt.Errorf("%d data lines × %d columns: data lines are far shorter than the header", n, ncol)
	}
	for c := 0; c < ncol; c++ {
		col := &t.Columns[c]
		ty := types[c]
		switch {
		case ty == "i" || ty == "int" || ty == "integer" || ty == "l" || ty == "long":
			col.Kind, col.Datatype, col.Int = KindInt, "long", make([]int64, n)
		case ty == "r" || ty == "real" || ty == "d" || ty == "double" || ty == "f" || ty == "float":
			col.Kind, col.Datatype, col.Float = KindFloat, "double", make([]float64, n)
		case ty == "":
			col.Kind = KindInt // inferred below
		default: // char, date
			col.Kind, col.Datatype, col.Str = KindString, "char", make([]string, n)
		}
		col.Format = ty
		if ty == "" {
			// infer like CSV
			allInt, allNum := true, true
			for _, ln := range data {
				v := cell(ln, c)
				if v == "" || v == nullv[c] {
					continue
				}
				if _, ok := parseIntFast(v); !ok {
					allInt = false
				}
				if _, ok := parseFloatText(v); !ok {
					allNum = false
				}
			}
			switch {
			case allInt:
				col.Kind, col.Datatype, col.Int = KindInt, "long", make([]int64, n)
			case allNum:
				col.Kind, col.Datatype, col.Float = KindFloat, "double", make([]float64, n)
			default:
				col.Kind, col.Datatype, col.Str = KindString, "char", make([]string, n)
			}
		}
		for r, ln := range data {
			v := cell(ln, c)
			null := v == nullv[c] || (v == "" && col.Kind != KindString)
			if null {
				if col.Null == nil {
					col.Null = make([]bool, n)
				}
				col.Null[r] = true
			}
			switch col.Kind {
			case KindInt:
				if null {
					continue
				}
				x, ok := parseIntText(v)
				if !ok {
					return nil, fmt.Errorf("data line %d column %q: %q is not an integer", r+1, col.Name, v)
				}
				col.Int[r] = x
			case KindFloat:
				if null {
					col.Float[r] = math.NaN()
					continue
				}
				x, ok := parseFloatText(v)
				if !ok {
					return nil, fmt.Errorf("data line %d column %q: %q is not a number", r+1, col.Name, v)
				}
				col.Float[r] = x
			default:
				if !null {
					col.Str[r] = v
				}
			}
		}
	}
	t.nrows = n
	return t, nil
}
