package catalog

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DelimitedOptions control ParseDelimited. The zero value auto-detects everything.
type DelimitedOptions struct {
	// Delimiter is the field separator; 0 detects one of ',', '\t', ';', '|' or
	// whitespace (' ', runs of blanks and tabs).
	Delimiter byte
	// Header: 0 detects (a first record with no numeric field is a header), 1 forces a
	// header line, -1 means no header (columns are named col1, col2, ...).
	Header int
	// NullValues are cell texts read as null besides the empty string.
	NullValues []string
	// Comment starts comment lines (default '#').
	Comment byte
}

type span struct {
	a, b int
	esc  bool // quoted field containing doubled quotes
}

// text returns the field text of sp in s (unescaping doubled quotes).
func (sp span) text(s string) string {
	t := s[sp.a:sp.b]
	if sp.esc {
		return strings.ReplaceAll(t, `""`, `"`)
	}
	return t
}

type csvScanner struct {
	s     string
	delim byte // ' ' means runs of whitespace
	cmt   byte
	line  int
}

// skipBlank skips empty lines and comment lines starting at pos.
func (sc *csvScanner) skipBlank(pos int) int {
	s := sc.s
	for pos < len(s) {
		i := pos
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') && sc.delim != '\t' {
			i++
		}
		if i < len(s) && (s[i] == '\n' || s[i] == '\r') {
			if s[i] == '\n' {
				sc.line++
			}
			pos = i + 1
			continue
		}
		if i < len(s) && sc.cmt != 0 && s[i] == sc.cmt {
			nl := strings.IndexByte(s[i:], '\n')
			sc.line++
			if nl < 0 {
				return len(s)
			}
			pos = i + nl + 1
			continue
		}
		if i >= len(s) {
			return len(s)
		}
		return pos
	}
	return pos
}

// record scans one record starting at pos (which must not be blank), appending field
// spans to out. It returns the spans and the position after the record.
func (sc *csvScanner) record(pos int, out []span) ([]span, int, error) {
	s := sc.s
	d := sc.delim
	ws := d == ' '
	i := pos
	sc.line++
	startLine := sc.line
	if ws {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	for {
		// one field
		if i < len(s) && s[i] == '"' {
			j := i + 1
			esc := false
			for {
				k := strings.IndexByte(s[j:], '"')
				if k < 0 {
					return out, len(s), fmt.Errorf("line %d: unterminated quoted field", startLine)
				}
				sc.line += strings.Count(s[j:j+k], "\n")
				j += k
				if j+1 < len(s) && s[j+1] == '"' {
					esc = true
					j += 2
					continue
				}
				break
			}
			out = append(out, span{i + 1, j, esc})
			i = j + 1
			// skip to the delimiter (tolerate blanks after the closing quote)
			for i < len(s) && (s[i] == ' ' || (s[i] == '\t' && d != '\t')) && !(ws && (s[i] == ' ' || s[i] == '\t')) {
				i++
			}
		} else {
			j := i
			if ws {
				for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' {
					j++
				}
			} else {
				for j < len(s) && s[j] != d && s[j] != '\n' && s[j] != '\r' {
					j++
				}
			}
			a, b := i, j
			if !ws && d != '\t' {
				for a < b && (s[a] == ' ' || s[a] == '\t') {
					a++
				}
				for b > a && (s[b-1] == ' ' || s[b-1] == '\t') {
					b--
				}
			}
			out = append(out, span{a, b, false})
			i = j
		}
		if ws {
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
			if i >= len(s) || s[i] == '\n' || s[i] == '\r' {
				break
			}
			continue
		}
		if i < len(s) && s[i] == d {
			i++
			continue
		}
		break
	}
	// end of line
	for i < len(s) && s[i] != '\n' {
		i++
	}
	if i < len(s) {
		i++
	}
	return out, i, nil
}

// detectDelimiter picks the candidate (',', '\t', ';', '|') occurring most often outside
// quotes in the first non-comment line; whitespace when none occurs.
func detectDelimiter(s string, cmt byte) byte {
	for _, ln := range strings.SplitN(s[:min(len(s), 1<<16)], "\n", 200) {
		t := strings.TrimSpace(ln)
		if t == "" || (cmt != 0 && t[0] == cmt) {
			continue
		}
		cnt := map[byte]int{}
		inq := false
		for i := 0; i < len(ln); i++ {
			c := ln[i]
			if c == '"' {
				inq = !inq
			}
			if !inq {
				cnt[c]++
			}
		}
		best, bestN := byte(' '), 0
		for _, c := range []byte{',', '\t', ';', '|'} {
			if cnt[c] > bestN {
				best, bestN = c, cnt[c]
			}
		}
		return best
	}
	return ','
}

// isNumber reports whether t parses as a number (int or float, incl. nan/inf).
func isNumber(t string) bool {
	if t == "" {
		return false
	}
	_, err := strconv.ParseFloat(t, 64)
	if err == nil {
		return true
	}
	var ne *strconv.NumError
	return errors.As(err, &ne) && ne.Err == strconv.ErrRange
}

// parseIntFast parses a plain decimal integer (optional sign) without allocation.
func parseIntFast(t string) (int64, bool) {
	if len(t) == 0 || len(t) > 18 {
		if len(t) > 18 {
			v, err := strconv.ParseInt(t, 10, 64)
			return v, err == nil
		}
		return 0, false
	}
	i := 0
	neg := false
	if t[0] == '-' || t[0] == '+' {
		neg = t[0] == '-'
		i = 1
		if len(t) == 1 {
			return 0, false
		}
	}
	var v int64
	for ; i < len(t); i++ {
		c := t[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

type colState struct {
	kind Kind // KindInt, KindFloat or KindString
	ints []int64
	flts []float64
	null []bool
	any  bool // a non-null value was seen
}

// ParseDelimited parses delimiter-separated text (CSV, TSV, ...): quoted fields with
// embedded delimiters, newlines and doubled quotes; comment and blank lines skipped; a
// header line and an optional units line; empty cells (and NullValues) are null. Column
// types are inferred: int64 when every value is an integer, else float64 when every value
// is a number, else string.
func ParseDelimited(s string, opt DelimitedOptions) (*Table, error) {
	s = strings.TrimPrefix(s, "\ufeff")
	cmt := opt.Comment
	if cmt == 0 {
		cmt = '#'
	}
	d := opt.Delimiter
	if d == 0 {
		d = detectDelimiter(s, cmt)
	}
	format := "csv"
	if d == '\t' {
		format = "tsv"
	}
	sc := &csvScanner{s: s, delim: d, cmt: cmt}
	nulls := map[string]bool{}
	for _, v := range opt.NullValues {
		nulls[v] = true
	}
	var fields []span
	var err error
	pos := sc.skipBlank(0)
	if pos >= len(s) {
		return nil, errors.New("empty table: no header or data line")
	}
	firstPos := pos
	fields, pos, err = sc.record(pos, fields[:0])
	if err != nil {
		return nil, err
	}
	ncol := len(fields)
	header := opt.Header > 0
	if opt.Header == 0 {
		header = detectHeader(s, fields, sc, pos, ncol)
	}
	t := &Table{Format: format, Meta: map[string]string{}}
	names := make([]string, ncol)
	if header {
		seen := map[string]int{}
		for i, f := range fields {
			n := strings.TrimSpace(f.text(s))
			if n == "" {
				n = fmt.Sprintf("col%d", i+1)
			}
			if k, ok := seen[n]; ok {
				seen[n] = k + 1
				n = fmt.Sprintf("%s_%d", n, k+1)
			} else {
				seen[n] = 1
			}
			names[i] = n
		}
	} else {
		for i := range names {
			names[i] = fmt.Sprintf("col%d", i+1)
		}
		pos = firstPos
		sc.line = 0
	}
	// optional units line
	var units []string
	if header {
		p2 := sc.skipBlank(pos)
		if p2 < len(s) {
			save := sc.line
			u, p3, err := sc.record(p2, nil)
			if err == nil && len(u) == ncol && looksLikeUnits(s, u, sc, p3, ncol) {
				units = make([]string, ncol)
				for i, f := range u {
					units[i] = strings.TrimSpace(f.text(s))
				}
				pos = p3
			} else {
				sc.line = save
			}
		}
	}
	states := make([]colState, ncol)
	est := strings.Count(s[pos:min(len(s), pos+1<<16)], "\n")
	if rem := len(s) - pos; rem > 1<<16 && est > 0 {
		est = int(float64(est) * float64(rem) / float64(1<<16))
	}
	est = min(est+1, 1<<24, len(s)/max(ncol, 1)+1) // a cell takes at least one byte
	// initial column kinds from the first data row (avoids an int→float copy)
	firstKind := make([]Kind, ncol)
	for i := range firstKind {
		firstKind[i] = KindInt
	}
	if p0 := sc.skipBlank(pos); p0 < len(s) {
		save := sc.line
		fs, _, err := sc.record(p0, nil)
		sc.line = save
		if err == nil {
			for c := 0; c < ncol && c < len(fs); c++ {
				txt := fs[c].text(s)
				if _, ok := parseIntFast(txt); !ok && txt != "" {
					if _, ok := parseFloatText(txt); ok {
						firstKind[c] = KindFloat
					}
				}
			}
		}
	}
	for i := range states {
		if firstKind[i] == KindFloat {
			states[i].kind = KindFloat
			states[i].flts = make([]float64, 0, est)
		} else {
			states[i].kind = KindInt
			states[i].ints = make([]int64, 0, est)
		}
	}
	dataPos, dataLine := pos, sc.line
	needStrings := false
	rows := 0
	maxCellsTotal := 2*len(s) + 1024 // every cell needs at least its delimiter
	for {
		pos = sc.skipBlank(pos)
		if pos >= len(s) {
			break
		}
		lineNo := sc.line + 1
		fields, pos, err = sc.record(pos, fields[:0])
		if err != nil {
			return nil, err
		}
		if len(fields) != ncol {
			if len(fields) > ncol {
				extra := fields[ncol:]
				allEmpty := true
				for _, f := range extra {
					if f.b > f.a {
						allEmpty = false
					}
				}
				if !allEmpty {
					return nil, fmt.Errorf("line %d: %d fields, header has %d", lineNo, len(fields), ncol)
				}
			} else {
				t.addWarning("line %d: %d fields, expected %d (missing cells are null)", lineNo, len(fields), ncol)
			}
		}
		if (rows+1)*ncol > maxCellsTotal {
			return nil, fmt.Errorf("line %d: %d rows × %d columns: rows are far shorter than the header", lineNo, rows+1, ncol)
		}
		for c := 0; c < ncol; c++ {
			st := &states[c]
			var txt string
			if c < len(fields) {
				f := fields[c]
				txt = s[f.a:f.b]
				if f.esc {
					txt = f.text(s)
				}
			}
			null := txt == "" || (len(nulls) > 0 && nulls[txt])
			if null {
				if st.null == nil {
					st.null = make([]bool, rows, max(rows+1, est))
				}
				st.null = append(st.null, true)
				switch st.kind {
				case KindInt:
					st.ints = append(st.ints, 0)
				case KindFloat:
					st.flts = append(st.flts, math.NaN())
				}
				continue
			}
			if st.null != nil {
				st.null = append(st.null, false)
			}
			st.any = true
			switch st.kind {
			case KindInt:
				if v, ok := parseIntFast(txt); ok {
					st.ints = append(st.ints, v)
					continue
				}
				if v, ok := parseFloatText(txt); ok {
					st.flts = make([]float64, len(st.ints), cap(st.ints))
					for i, x := range st.ints {
						st.flts[i] = float64(x)
					}
					if st.null != nil {
						for i := range st.flts {
							if st.null[i] {
								st.flts[i] = math.NaN()
							}
						}
					}
					st.ints = nil
					st.kind = KindFloat
					st.flts = append(st.flts, v)
					continue
				}
				st.kind, st.ints = KindString, nil
				needStrings = true
			case KindFloat:
				if v, ok := parseFloatText(txt); ok {
					st.flts = append(st.flts, v)
					continue
				}
				st.kind, st.flts = KindString, nil
				needStrings = true
			}
		}
		rows++
	}
	t.nrows = rows
	t.Columns = make([]Column, ncol)
	for c := 0; c < ncol; c++ {
		st := &states[c]
		col := &t.Columns[c]
		col.Name = names[c]
		if units != nil {
			col.Unit = units[c]
		}
		col.Null = st.null
		switch {
		case st.kind == KindInt && st.any:
			col.Kind, col.Int, col.Datatype = KindInt, st.ints, "long"
		case st.kind == KindFloat:
			col.Kind, col.Float, col.Datatype = KindFloat, st.flts, "double"
		default:
			col.Kind, col.Datatype = KindString, "char"
			col.Str = make([]string, 0, rows)
		}
	}
	if needStrings || hasEmptyStringCols(t) {
		// second pass for string columns
		var strCols []int
		for c := range t.Columns {
			if t.Columns[c].Kind == KindString {
				strCols = append(strCols, c)
			}
		}
		pos, sc.line = dataPos, dataLine
		for r := 0; r < rows; r++ {
			pos = sc.skipBlank(pos)
			fields, pos, err = sc.record(pos, fields[:0])
			if err != nil {
				return nil, err
			}
			for _, c := range strCols {
				v := ""
				if c < len(fields) {
					v = fields[c].text(s)
				}
				t.Columns[c].Str = append(t.Columns[c].Str, v)
			}
		}
	}
	return t, nil
}

func hasEmptyStringCols(t *Table) bool {
	for c := range t.Columns {
		if t.Columns[c].Kind == KindString {
			return true
		}
	}
	return false
}

// detectHeader decides whether the first record is a header: yes when none of its
// fields is a number, or when some field is text above a column whose next values are
// all numbers (e.g. "year,2019,2020" over numeric rows).
func detectHeader(s string, first []span, sc *csvScanner, next int, ncol int) bool {
	textAt := make([]bool, len(first))
	anyNum := false
	for i, f := range first {
		t := f.text(s)
		if isNumber(t) {
			anyNum = true
		} else if t != "" {
			textAt[i] = true
		}
	}
	if !anyNum {
		return true
	}
	save := sc.line
	defer func() { sc.line = save }()
	numeric := make([]int, ncol) // 1 numeric so far, -1 saw text
	pos := next
	var fs []span
	for k := 0; k < 20; k++ {
		pos = sc.skipBlank(pos)
		if pos >= len(s) {
			break
		}
		var err error
		fs, pos, err = sc.record(pos, fs[:0])
		if err != nil {
			break
		}
		for i := 0; i < ncol && i < len(fs); i++ {
			t := fs[i].text(s)
			switch {
			case t == "":
			case isNumber(t):
				if numeric[i] == 0 {
					numeric[i] = 1
				}
			default:
				numeric[i] = -1
			}
		}
	}
	for i := range textAt {
		if textAt[i] && i < ncol && numeric[i] == 1 {
			return true
		}
	}
	return false
}

// parseFloatText parses a float (accepting out-of-range values as ±Inf/0).
func parseFloatText(t string) (float64, bool) {
	v, err := strconv.ParseFloat(t, 64)
	if err == nil {
		return v, true
	}
	var ne *strconv.NumError
	if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
		return v, true
	}
	return 0, false
}

// looksLikeUnits decides whether the record u (just after the header) is a units line:
// no field is a number, and at least one column with a non-empty unit has numbers below.
func looksLikeUnits(s string, u []span, sc *csvScanner, next int, ncol int) bool {
	nonEmpty := 0
	for _, f := range u {
		t := f.text(s)
		if isNumber(t) {
			return false
		}
		if t != "" {
			nonEmpty++
		}
	}
	if nonEmpty == 0 {
		return false
	}
	save := sc.line
	defer func() { sc.line = save }()
	numericBelow := make([]bool, ncol)
	pos := next
	var fs []span
	for k := 0; k < 20; k++ {
		pos = sc.skipBlank(pos)
		if pos >= len(s) {
			break
		}
		var err error
		fs, pos, err = sc.record(pos, fs[:0])
		if err != nil {
			return false
		}
		for i := 0; i < ncol && i < len(fs); i++ {
			if isNumber(fs[i].text(s)) {
				numericBelow[i] = true
			}
		}
	}
	for i, f := range u {
		if f.text(s) != "" && i < ncol && numericBelow[i] {
			return true
		}
	}
	return false
}
