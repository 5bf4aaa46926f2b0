package catalog

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxCells bounds the number of elements of one array cell (protects against absurd
// arraysize values and corrupt BINARY counts).
const maxCells = 1 << 24

// ReadVOTable reads every TABLE of a VOTable document (versions 1.1 to 1.4; TABLEDATA,
// BINARY and BINARY2 serializations with inline base64 STREAMs), in document order.
func ReadVOTable(r io.Reader) ([]*Table, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("votable: %w", err)
	}
	return parseVOTable(string(b))
}

// vfield is a FIELD (or PARAM) definition with its parsed arraysize and null value.
type vfield struct {
	col      int
	prim     string // canonical datatype
	dims     []int  // fixed dimensions (VOTable order); for char, dims[0] is the string length
	variable bool   // last dimension is variable ("*" or "N*")
	varMax   int    // N of a trailing "N*" (0 = unbounded)
	nullStr  string
	hasNull  bool
	nullF    float64 // parsed null (numeric types)
	nullOK   bool
}

// isCharType reports whether the field is a string type.
func (f *vfield) isCharType() bool { return f.prim == "char" || f.prim == "unicodeChar" }

// isString reports whether cells are single strings (char with at most one dimension).
func (f *vfield) isString() bool {
	return f.isCharType() && (len(f.dims)+boolInt(f.variable)) <= 1
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// isScalar reports whether a non-char field holds one value per cell.
func (f *vfield) isScalar() bool { return len(f.dims) == 0 && !f.variable }

// fixedCount is the product of the fixed dimensions (for char arrays: excluding the
// string length).
func (f *vfield) fixedCount() int {
	n := 1
	d := f.dims
	if f.isCharType() && len(d) > 0 {
		d = d[1:]
	}
	for _, v := range d {
		n *= v
	}
	return n
}

func canonicalDatatype(dt string) (string, error) {
	switch dt {
	case "boolean", "bit", "unsignedByte", "short", "int", "long", "char", "unicodeChar",
		"float", "double", "floatComplex", "doubleComplex":
		return dt, nil
	case "string":
		return "char", nil
	case "unicodeString":
		return "unicodeChar", nil
	case "":
		return "", errors.New("missing datatype")
	}
	return "", fmt.Errorf("unknown datatype %q", dt)
}

// parseArraysize parses "", "*", "10", "4*", "2x3", "2x3x*", "10x*".
func parseArraysize(s string) (dims []int, variable bool, varMax int, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false, 0, nil
	}
	parts := strings.Split(s, "x")
	total := 1
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if strings.HasSuffix(p, "*") {
			if i != len(parts)-1 {
				return nil, false, 0, fmt.Errorf("bad arraysize %q: '*' only allowed last", s)
			}
			variable = true
			if p != "*" {
				n, e := strconv.Atoi(p[:len(p)-1])
				if e != nil || n < 0 {
					return nil, false, 0, fmt.Errorf("bad arraysize %q", s)
				}
				varMax = n
			}
			continue
		}
		n, e := strconv.Atoi(p)
		if e != nil || n < 0 {
			return nil, false, 0, fmt.Errorf("bad arraysize %q", s)
		}
		total *= n
		if total > maxCells {
			return nil, false, 0, fmt.Errorf("arraysize %q too large", s)
		}
		dims = append(dims, n)
	}
	return dims, variable, varMax, nil
}

type tbuild struct {
	t      *Table
	fields []*vfield
	rows   int
}

type vparser struct {
	x        xscanner
	tables   []*Table
	byID     map[string]*tbuild
	valuesID map[string]string // VALUES ID -> null
	cur      *tbuild
	timesys  []TimeSys
	coosys   []CooSys
	version  string
}

// latin1Declared reports whether the XML declaration names a single-byte Latin encoding.
func latin1Declared(s string) bool {
	if !strings.HasPrefix(s, "<?xml") {
		return false
	}
	end := strings.Index(s, "?>")
	if end < 0 {
		return false
	}
	d := strings.ToLower(s[:end])
	return strings.Contains(d, "iso-8859-1") || strings.Contains(d, "latin-1") || strings.Contains(d, "latin1") ||
		strings.Contains(d, "windows-1252") || strings.Contains(d, "us-ascii")
}

// latin1ToUTF8 transcodes ISO-8859-1 text.
func latin1ToUTF8(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x80 {
			b.WriteByte(c)
		} else {
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

func parseVOTable(s string) ([]*Table, error) {
	if latin1Declared(s) && !utf8.ValidString(s) {
		s = latin1ToUTF8(s)
	}
	p := &vparser{x: xscanner{s: s}, byID: map[string]*tbuild{}, valuesID: map[string]string{}}
	sawVOTable := false
	for {
		tok, err := p.x.next()
		if err != nil {
			return nil, fmt.Errorf("votable: %w", err)
		}
		if tok.kind == xEOF {
			break
		}
		switch tok.kind {
		case xStart:
			if err := p.start(&tok, &sawVOTable); err != nil {
				return nil, fmt.Errorf("votable: %w", err)
			}
		case xEnd:
			if tok.name == "TABLE" && p.cur != nil {
				p.finish()
			}
		}
	}
	if !sawVOTable {
		return nil, errors.New("votable: no VOTABLE element")
	}
	if p.cur != nil {
		p.finish()
	}
	for _, t := range p.tables {
		t.TimeSys = append(t.TimeSys, p.timesys...)
		t.CooSys = append(t.CooSys, p.coosys...)
	}
	return p.tables, nil
}

func (p *vparser) start(tok *xtoken, saw *bool) error {
	switch tok.name {
	case "VOTABLE":
		*saw = true
		p.version = tok.attrOr("version")
	case "RESOURCE", "DATA", "DEFINITIONS":
	case "TABLE":
		if p.cur != nil {
			p.finish()
		}
		t := &Table{Name: tok.attrOr("name"), ID: tok.attrOr("ID"), Format: "votable", Meta: map[string]string{}}
		if p.version != "" {
			t.Meta["VOTABLE_VERSION"] = p.version
		}
		b := &tbuild{t: t}
		if ref := tok.attrOr("ref"); ref != "" {
			src, ok := p.byID[ref]
			if !ok {
				return fmt.Errorf("TABLE ref=%q: no such table", ref)
			}
			for _, f := range src.fields {
				c := src.t.Columns[f.col]
				nc := Column{Name: c.Name, Unit: c.Unit, UCD: c.UCD, Datatype: c.Datatype, Arraysize: c.Arraysize,
					ID: c.ID, Ref: c.Ref, Description: c.Description, Shape: c.Shape, VarLen: c.VarLen, Kind: c.Kind}
				t.Columns = append(t.Columns, nc)
				nf := *f
				nf.col = len(t.Columns) - 1
				b.fields = append(b.fields, &nf)
			}
			t.Params = append(t.Params, src.t.Params...)
		}
		if t.ID != "" {
			p.byID[t.ID] = b
		}
		p.cur = b
		p.tables = append(p.tables, t)
	case "FIELD":
		return p.field(tok)
	case "PARAM":
		prm, err := p.param(tok)
		if err != nil {
			return err
		}
		if p.cur != nil { // PARAMs of a RESOURCE or the VOTABLE are not attached to tables
			p.cur.t.Params = append(p.cur.t.Params, prm)
		}
	case "INFO":
		if p.cur != nil {
			if n := tok.attrOr("name"); n != "" {
				p.cur.t.Meta[n] = tok.attrOr("value")
			}
		}
		return p.skip(tok)
	case "TIMESYS":
		p.timesys = append(p.timesys, TimeSys{ID: tok.attrOr("ID"), TimeOrigin: tok.attrOr("timeorigin"),
			TimeScale: tok.attrOr("timescale"), RefPosition: tok.attrOr("refposition")})
		return p.skip(tok)
	case "COOSYS":
		p.coosys = append(p.coosys, CooSys{ID: tok.attrOr("ID"), System: tok.attrOr("system"),
			Equinox: tok.attrOr("equinox"), Epoch: tok.attrOr("epoch")})
		return p.skip(tok)
	case "DESCRIPTION":
		txt, err := p.text(tok)
		if err != nil {
			return err
		}
		if p.cur != nil && len(p.cur.fields) == 0 && p.cur.t.Description == "" {
			p.cur.t.Description = txt
		}
	case "TABLEDATA":
		if p.cur == nil {
			return p.skip(tok)
		}
		p.cur.t.Serialization = "TABLEDATA"
		return p.tableData(tok)
	case "BINARY", "BINARY2":
		if p.cur == nil {
			return p.skip(tok)
		}
		p.cur.t.Serialization = tok.name
		return p.binary(tok)
	case "FITS":
		if p.cur != nil {
			p.cur.t.addWarning("FITS serialization inside a VOTable is not supported; table left empty")
		}
		return p.skip(tok)
	default: // GROUP, LINK, VALUES outside fields, unknown elements: tolerated and skipped
		return p.skip(tok)
	}
	return nil
}

func (p *vparser) finish() {
	b := p.cur
	p.cur = nil
	b.t.nrows = b.rows
}

// skip consumes the subtree of the start token tok.
func (p *vparser) skip(tok *xtoken) error {
	depth := 1
	for depth > 0 {
		t, err := p.x.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case xEOF:
			return fmt.Errorf("unexpected end of document inside <%s>", tok.name)
		case xStart:
			depth++
		case xEnd:
			depth--
		}
	}
	return nil
}

// text returns the concatenated text content of the element tok (nested elements skipped).
func (p *vparser) text(tok *xtoken) (string, error) {
	var sb strings.Builder
	depth := 1
	for depth > 0 {
		t, err := p.x.next()
		if err != nil {
			return "", err
		}
		switch t.kind {
		case xEOF:
			return "", fmt.Errorf("unexpected end of document inside <%s>", tok.name)
		case xStart:
			depth++
		case xEnd:
			depth--
		case xText:
			if depth == 1 {
				sb.WriteString(t.text)
			}
		}
	}
	return strings.TrimSpace(sb.String()), nil
}

// fieldDef parses the attributes and children (DESCRIPTION, VALUES) of FIELD or PARAM.
func (p *vparser) fieldDef(tok *xtoken) (*vfield, Column, string, error) {
	name := tok.attrOr("name")
	id := tok.attrOr("ID")
	if id == "" {
		id = tok.attrOr("id")
	}
	if name == "" {
		name = id
	}
	dt, err := canonicalDatatype(tok.attrOr("datatype"))
	if err != nil {
		return nil, Column{}, "", fmt.Errorf("%s %q: %w", tok.name, name, err)
	}
	as := tok.attrOr("arraysize")
	dims, variable, varMax, err := parseArraysize(as)
	if err != nil {
		return nil, Column{}, "", fmt.Errorf("%s %q: %w", tok.name, name, err)
	}
	if tok.name == "PARAM" && dt != "char" && dt != "unicodeChar" && len(dims) == 1 && dims[0] == 0 {
		dims, variable = nil, true // tolerate arraysize="0" as variable
	}
	f := &vfield{prim: dt, dims: dims, variable: variable, varMax: varMax}
	c := Column{Name: name, Unit: tok.attrOr("unit"), UCD: tok.attrOr("ucd"), Datatype: dt,
		Arraysize: as, ID: id, Ref: tok.attrOr("ref")}
	// children
	depth := 1
	for depth > 0 {
		t, err := p.x.next()
		if err != nil {
			return nil, Column{}, "", err
		}
		switch t.kind {
		case xEOF:
			return nil, Column{}, "", fmt.Errorf("unexpected end of document inside %s %q", tok.name, name)
		case xStart:
			if depth == 1 && t.name == "DESCRIPTION" {
				txt, err := p.text(&t)
				if err != nil {
					return nil, Column{}, "", err
				}
				if c.Description == "" {
					c.Description = txt
				}
				continue
			}
			if depth == 1 && t.name == "VALUES" {
				if v, ok := t.attr("null"); ok {
					f.nullStr, f.hasNull = v, true
				} else if ref := t.attrOr("ref"); ref != "" {
					if v, ok := p.valuesID[ref]; ok {
						f.nullStr, f.hasNull = v, true
					}
				}
				if vid := t.attrOr("ID"); vid != "" && f.hasNull {
					p.valuesID[vid] = f.nullStr
				}
			}
			depth++
		case xEnd:
			depth--
		}
	}
	if f.hasNull && !f.isCharType() {
		s := strings.TrimSpace(f.nullStr)
		if s != "" {
			if v, ok := parseIntText(s); ok {
				f.nullF, f.nullOK = float64(v), true
			} else if v, err := strconv.ParseFloat(s, 64); err == nil {
				f.nullF, f.nullOK = v, true
			}
		}
	}
	// column storage
	switch {
	case f.isString():
		c.Kind = KindString
		if len(dims) > 0 {
			c.Shape = nil
		}
	case f.isCharType():
		c.Kind = KindArray
		c.Shape = dims[1:]
		c.VarLen = variable
	case f.isScalar():
		switch dt {
		case "boolean", "bit":
			c.Kind = KindBool
		case "unsignedByte", "short", "int", "long":
			c.Kind = KindInt
		case "float", "double":
			c.Kind = KindFloat
		default:
			c.Kind = KindComplex
		}
	default:
		c.Kind = KindArray
		c.Shape = dims
		c.VarLen = variable
	}
	return f, c, tok.attrOr("value"), nil
}

func (p *vparser) field(tok *xtoken) error {
	f, c, _, err := p.fieldDef(tok)
	if err != nil {
		return err
	}
	if p.cur == nil {
		return nil
	}
	if p.cur.rows > 0 || p.cur.t.Serialization != "" {
		return fmt.Errorf("FIELD %q after DATA", c.Name)
	}
	p.cur.t.Columns = append(p.cur.t.Columns, c)
	f.col = len(p.cur.t.Columns) - 1
	p.cur.fields = append(p.cur.fields, f)
	return nil
}

func (p *vparser) param(tok *xtoken) (Param, error) {
	f, c, value, err := p.fieldDef(tok)
	if err != nil {
		return Param{}, err
	}
	prm := Param{Name: c.Name, Unit: c.Unit, UCD: c.UCD, Datatype: c.Datatype, Arraysize: c.Arraysize,
		ID: c.ID, Ref: c.Ref, Description: c.Description, Value: value}
	if f.isCharType() {
		if f.isString() {
			prm.Strings = []string{value}
		} else {
			prm.Strings = splitFixedStrings(value, f.dims[0])
		}
		return prm, nil
	}
	for _, tk := range splitTokens(value) {
		if f.prim == "boolean" || f.prim == "bit" {
			b, null := parseBoolText(tk)
			switch {
			case null:
				prm.Values = append(prm.Values, math.NaN())
			case b:
				prm.Values = append(prm.Values, 1)
			default:
				prm.Values = append(prm.Values, 0)
			}
			continue
		}
		v, _ := f.parseNumber(tk)
		prm.Values = append(prm.Values, v)
	}
	return prm, nil
}

// splitFixedStrings splits s into strings of n characters (runes), trailing blanks trimmed.
func splitFixedStrings(s string, n int) []string {
	if n <= 0 {
		return []string{s}
	}
	var out []string
	r := []rune(s)
	for i := 0; i < len(r); i += n {
		j := i + n
		if j > len(r) {
			j = len(r)
		}
		out = append(out, strings.TrimRight(string(r[i:j]), " \x00"))
	}
	return out
}

// splitTokens splits array text on whitespace and commas.
func splitTokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == ','
	})
}

// parseIntText parses a decimal or 0x-hexadecimal integer; values beyond int64 saturate.
func parseIntText(s string) (int64, bool) {
	neg := false
	t := s
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		u, err := strconv.ParseUint(t[2:], 16, 64)
		if err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
				u = math.MaxUint64
			} else {
				return 0, false
			}
		}
		if u > math.MaxInt64 {
			if neg {
				return math.MinInt64, true
			}
			return math.MaxInt64, true
		}
		if neg {
			return -int64(u), true
		}
		return int64(u), true
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return v, true
		}
		return 0, false
	}
	return v, true
}

func clampInt(prim string, v int64) int64 {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	switch prim {
	case "unsignedByte":
		lo, hi = 0, 255
	case "short":
		lo, hi = math.MinInt16, math.MaxInt16
	case "int":
		lo, hi = math.MinInt32, math.MaxInt32
	}
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// parseNumber parses one numeric token of the field's type: float32 values are rounded
// to float32 then widened; integers are clamped to the type's range. null reports an
// empty, unparseable, NaN or VALUES-null value.
func (f *vfield) parseNumber(s string) (v float64, null bool) {
	if s == "" {
		return math.NaN(), true
	}
	if f.hasNull && s == f.nullStr {
		return math.NaN(), true
	}
	switch f.prim {
	case "unsignedByte", "short", "int", "long":
		i, ok := parseIntText(s)
		if !ok {
			return math.NaN(), true
		}
		i = clampInt(f.prim, i)
		if f.nullOK && float64(i) == f.nullF {
			return float64(i), true
		}
		return float64(i), false
	}
	bits := 64
	if f.prim == "float" || f.prim == "floatComplex" {
		bits = 32
	}
	x, err := strconv.ParseFloat(s, bits)
	if err != nil {
		var ne *strconv.NumError
		if !(errors.As(err, &ne) && ne.Err == strconv.ErrRange) {
			return math.NaN(), true
		}
	}
	if math.IsNaN(x) {
		return x, true
	}
	if f.nullOK && x == f.nullF {
		return x, true
	}
	return x, false
}

// parseInt is parseNumber for integer types, keeping full int64 precision.
func (f *vfield) parseInt(s string) (v int64, null bool) {
	if s == "" || (f.hasNull && s == f.nullStr) {
		return 0, true
	}
	i, ok := parseIntText(s)
	if !ok {
		return 0, true
	}
	i = clampInt(f.prim, i)
	if f.nullOK && float64(i) == f.nullF && f.nullF == math.Trunc(f.nullF) {
		if n, ok := parseIntText(strings.TrimSpace(f.nullStr)); !ok || n == i {
			return i, true
		}
	}
	return i, false
}

func parseBoolText(s string) (val, null bool) {
	switch strings.ToLower(s) {
	case "t", "true", "1":
		return true, false
	case "f", "false", "0":
		return false, false
	}
	return false, true
}

func markNull(c *Column, row int, null bool) {
	if null {
		if c.Null == nil {
			c.Null = make([]bool, row, row+16)
		}
		c.Null = append(c.Null, true)
	} else if c.Null != nil {
		c.Null = append(c.Null, false)
	}
}

// appendText appends one TABLEDATA cell.
func (f *vfield) appendText(c *Column, row int, raw string) {
	s := strings.TrimSpace(raw)
	switch c.Kind {
	case KindString:
		if len(f.dims) == 1 {
			s = truncRunes(s, f.dims[0])
		} else if f.varMax > 0 {
			s = truncRunes(s, f.varMax)
		}
		c.Str = append(c.Str, s)
		markNull(c, row, false)
	case KindInt:
		v, null := f.parseInt(s)
		c.Int = append(c.Int, v)
		markNull(c, row, null)
	case KindFloat:
		v, null := f.parseNumber(s)
		c.Float = append(c.Float, v)
		markNull(c, row, null)
	case KindBool:
		var v, null bool
		if f.prim == "bit" {
			switch s {
			case "1":
				v = true
			case "0":
			default:
				null = true
			}
		} else {
			v, null = parseBoolText(s)
		}
		c.Bool = append(c.Bool, v)
		markNull(c, row, null)
	case KindComplex:
		tk := splitTokens(s)
		re, im := math.NaN(), math.NaN()
		null := true
		if len(tk) == 2 {
			var n1, n2 bool
			re, n1 = f.parseNumber(tk[0])
			im, n2 = f.parseNumber(tk[1])
			null = n1 || n2
		}
		c.Float = append(c.Float, re)
		c.Imag = append(c.Imag, im)
		markNull(c, row, null)
	case KindArray:
		a, null := f.arrayFromText(s)
		c.Arr = append(c.Arr, a)
		markNull(c, row, null)
	}
}

func truncRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i, k := 0, 0
	for i < len(s) && k < n {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
		k++
	}
	return s[:i]
}

// arrayFromText parses an array cell; null reports a null cell (empty fixed array).
func (f *vfield) arrayFromText(s string) (ArrayCell, bool) {
	var a ArrayCell
	if f.isCharType() {
		n := f.dims[0]
		a.S = splitFixedStrings(s, n)
		if !f.variable {
			want := f.fixedCount()
			if len(a.S) < want && want > 4096 && len(a.S) < want/2 {
				return ArrayCell{}, true
			}
			for len(a.S) < want {
				a.S = append(a.S, "")
			}
			if len(a.S) > want {
				a.S = a.S[:want]
			}
		}
		return a, false
	}
	tk := splitTokens(s)
	if len(tk) == 0 && !f.variable {
		return ArrayCell{}, true // empty fixed-size array: a null cell
	}
	if f.prim == "bit" && len(tk) == 1 && len(tk[0]) > 1 && strings.Trim(tk[0], "01") == "" {
		tk = strings.Split(tk[0], "")
	}
	per := 1
	if f.prim == "floatComplex" || f.prim == "doubleComplex" {
		per = 2
	}
	n := len(tk) / per
	want := n
	if !f.variable {
		want = f.fixedCount()
		if n < want && want > 4096 && n < want/2 {
			return ArrayCell{}, true // far too few elements: null cell rather than a huge padding
		}
	}
	a.F = make([]float64, want*per)
	var nulls []bool
	setNull := func(i int) {
		if nulls == nil {
			nulls = make([]bool, want)
		}
		nulls[i] = true
	}
	for i := 0; i < want; i++ {
		if i >= n {
			for k := 0; k < per; k++ {
				a.F[i*per+k] = math.NaN()
			}
			setNull(i)
			continue
		}
		switch f.prim {
		case "boolean", "bit":
			b, null := parseBoolText(tk[i])
			if null {
				a.F[i] = math.NaN()
				setNull(i)
			} else if b {
				a.F[i] = 1
			}
		default:
			anyNull := false
			for k := 0; k < per; k++ {
				v, null := f.parseNumber(tk[i*per+k])
				a.F[i*per+k] = v
				anyNull = anyNull || null
			}
			if anyNull {
				setNull(i)
			}
		}
	}
	a.Null = nulls
	return a, false
}

func (p *vparser) tableData(tok *xtoken) error {
	b := p.cur
	cells := make([]string, 0, len(b.fields))
	enc := make([]string, 0, len(b.fields))
	var sb strings.Builder
	inTD := false
	tdParts := 0
	var tdText string
	tdEnc := ""
	warnedCount := false
	for {
		t, err := p.x.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case xEOF:
			return errors.New("unexpected end of document inside TABLEDATA")
		case xStart:
			switch t.name {
			case "TR":
				cells, enc = cells[:0], enc[:0]
			case "TD":
				inTD, tdParts, tdText = true, 0, ""
				sb.Reset()
				tdEnc = t.attrOr("encoding")
			default:
				if err := p.skip(&t); err != nil {
					return err
				}
			}
		case xText:
			if inTD {
				if tdParts == 0 {
					tdText = t.text
				} else {
					if tdParts == 1 {
						sb.WriteString(tdText)
					}
					sb.WriteString(t.text)
				}
				tdParts++
			}
		case xEnd:
			switch t.name {
			case "TD":
				if tdParts > 1 {
					tdText = sb.String()
				}
				cells = append(cells, tdText)
				enc = append(enc, tdEnc)
				inTD = false
			case "TR":
				if (b.rows+1)*len(b.fields) > len(p.x.s)+1024 {
					return fmt.Errorf("row %d: %d cells for %d bytes of input: rows lack their TD elements", b.rows+1, (b.rows+1)*len(b.fields), len(p.x.s))
				}
				if len(cells) != len(b.fields) && !warnedCount {
					b.t.addWarning("row %d has %d TD for %d FIELDs", b.rows+1, len(cells), len(b.fields))
					warnedCount = true
				}
				for i, f := range b.fields {
					c := &b.t.Columns[f.col]
					if i >= len(cells) {
						f.appendText(c, b.rows, "")
						continue
					}
					if enc[i] == "base64" {
						raw, err := base64.StdEncoding.DecodeString(stripSpace(cells[i]))
						if err != nil {
							return fmt.Errorf("row %d column %q: base64 TD: %w", b.rows+1, c.Name, err)
						}
						br := binReader{b: raw}
						if err := f.appendBinary(c, b.rows, &br, false); err != nil {
							return fmt.Errorf("row %d column %q: base64 TD: %w", b.rows+1, c.Name, err)
						}
						continue
					}
					f.appendText(c, b.rows, cells[i])
				}
				b.rows++
			case "TABLEDATA":
				return nil
			}
		}
	}
}

func stripSpace(s string) string {
	if !strings.ContainsAny(s, " \t\r\n") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
}

// binary reads BINARY/BINARY2 with an inline base64 STREAM.
func (p *vparser) binary(tok *xtoken) error {
	var data []byte
	found := false
	for {
		t, err := p.x.next()
		if err != nil {
			return err
		}
		if t.kind == xEOF {
			return fmt.Errorf("unexpected end of document inside %s", tok.name)
		}
		if t.kind == xEnd && t.name == tok.name {
			break
		}
		if t.kind == xStart && t.name == "STREAM" {
			if href := t.attrOr("href"); href != "" {
				return fmt.Errorf("%s STREAM href=%q: external streams are not supported", tok.name, href)
			}
			encAttr := t.attrOr("encoding")
			txt, err := p.text(&t)
			if err != nil {
				return err
			}
			switch encAttr {
			case "base64":
				d, err := base64.StdEncoding.DecodeString(stripSpace(txt))
				if err != nil {
					return fmt.Errorf("%s STREAM: base64: %w", tok.name, err)
				}
				data = d
			case "", "identity":
				data = []byte(txt)
			default:
				return fmt.Errorf("%s STREAM: unsupported encoding %q", tok.name, encAttr)
			}
			found = true
		} else if t.kind == xStart {
			if err := p.skip(&t); err != nil {
				return err
			}
		}
	}
	if !found {
		return fmt.Errorf("%s without STREAM", tok.name)
	}
	b := p.cur
	br := binReader{b: data}
	nf := len(b.fields)
	two := tok.name == "BINARY2"
	for br.pos < len(br.b) {
		start := br.pos
		var flags []byte
		if two {
			fb, err := br.take((nf + 7) / 8)
			if err != nil {
				return fmt.Errorf("%s row %d: null flags: %w", tok.name, b.rows+1, err)
			}
			flags = fb
		}
		for i, f := range b.fields {
			null := two && flags[i/8]&(0x80>>(uint(i)%8)) != 0
			c := &b.t.Columns[f.col]
			if err := f.appendBinary(c, b.rows, &br, null); err != nil {
				// undo the partial row
				truncateColumns(b.t, b.fields[:i], b.rows)
				return fmt.Errorf("%s row %d column %q: %w", tok.name, b.rows+1, c.Name, err)
			}
		}
		if br.pos == start {
			return fmt.Errorf("%s: the FIELDs have zero width, rows cannot be delimited", tok.name)
		}
		b.rows++
	}
	return nil
}

func truncateColumns(t *Table, fields []*vfield, rows int) {
	for _, f := range fields {
		c := &t.Columns[f.col]
		switch c.Kind {
		case KindFloat:
			c.Float = c.Float[:rows]
		case KindComplex:
			c.Float, c.Imag = c.Float[:rows], c.Imag[:rows]
		case KindInt:
			c.Int = c.Int[:rows]
		case KindString:
			c.Str = c.Str[:rows]
		case KindBool:
			c.Bool = c.Bool[:rows]
		case KindArray:
			c.Arr = c.Arr[:rows]
		}
		if c.Null != nil && len(c.Null) > rows {
			c.Null = c.Null[:rows]
		}
	}
}

type binReader struct {
	b   []byte
	pos int
}

func (r *binReader) take(n int) ([]byte, error) {
	if n < 0 || n > len(r.b)-r.pos {
		return nil, fmt.Errorf("truncated data: need %d bytes at offset %d, have %d", n, r.pos, len(r.b)-r.pos)
	}
	s := r.b[r.pos : r.pos+n]
	r.pos += n
	return s, nil
}

func elemSize(prim string) int {
	switch prim {
	case "boolean", "unsignedByte", "char":
		return 1
	case "short", "unicodeChar":
		return 2
	case "int", "float":
		return 4
	case "long", "double", "floatComplex":
		return 8
	case "doubleComplex":
		return 16
	}
	return 0 // bit: packed
}

// decodeElem decodes element i of raw (big-endian) as float64 and a null flag.
func (f *vfield) decodeElem(raw []byte, i int) (float64, bool) {
	switch f.prim {
	case "boolean":
		switch raw[i] {
		case 'T', 't', '1':
			return 1, false
		case 'F', 'f', '0':
			return 0, false
		}
		return math.NaN(), true
	case "bit":
		if raw[i/8]&(0x80>>(uint(i)%8)) != 0 {
			return 1, false
		}
		return 0, false
	case "unsignedByte":
		v := float64(raw[i])
		return v, f.nullOK && v == f.nullF
	case "short":
		v := float64(int16(binary.BigEndian.Uint16(raw[2*i:])))
		return v, f.nullOK && v == f.nullF
	case "int":
		v := float64(int32(binary.BigEndian.Uint32(raw[4*i:])))
		return v, f.nullOK && v == f.nullF
	case "long":
		v := float64(int64(binary.BigEndian.Uint64(raw[8*i:])))
		return v, f.nullOK && v == f.nullF
	case "float", "floatComplex":
		v := float64(math.Float32frombits(binary.BigEndian.Uint32(raw[4*i:])))
		return v, math.IsNaN(v) || (f.nullOK && v == f.nullF)
	case "double", "doubleComplex":
		v := math.Float64frombits(binary.BigEndian.Uint64(raw[8*i:]))
		return v, math.IsNaN(v) || (f.nullOK && v == f.nullF)
	}
	return math.NaN(), true
}

func decodeChars(prim string, raw []byte) string {
	if prim == "unicodeChar" {
		rs := make([]rune, 0, len(raw)/2)
		for i := 0; i+1 < len(raw); i += 2 {
			r := rune(binary.BigEndian.Uint16(raw[i:]))
			if r == 0 {
				break
			}
			rs = append(rs, r)
		}
		return strings.TrimRight(string(rs), " ")
	}
	if i := indexByte(raw, 0); i >= 0 {
		raw = raw[:i]
	}
	// bytes are Latin-1 when not valid UTF-8
	if utf8.Valid(raw) {
		return strings.TrimRight(string(raw), " ")
	}
	rs := make([]rune, len(raw))
	for i, c := range raw {
		rs[i] = rune(c)
	}
	return strings.TrimRight(string(rs), " ")
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// appendBinary reads one cell in BINARY encoding from r and appends it.
func (f *vfield) appendBinary(c *Column, row int, r *binReader, flagNull bool) error {
	// number of elements
	n := 0
	if f.variable {
		cb, err := r.take(4)
		if err != nil {
			return err
		}
		u := binary.BigEndian.Uint32(cb)
		if u > maxCells {
			return fmt.Errorf("array length %d too large", u)
		}
		n = int(u) // characters for char types, elements otherwise
	} else {
		n = f.fixedCount()
		if f.isCharType() {
			if len(f.dims) > 0 {
				n *= f.dims[0]
			} else {
				n = 1
			}
		}
	}
	size := elemSize(f.prim)
	nbytes := n * size
	if f.prim == "bit" {
		nbytes = (n + 7) / 8
	}
	if f.prim == "bit" && !f.variable && f.isScalar() {
		nbytes = 1
	}
	raw, err := r.take(nbytes)
	if err != nil {
		return err
	}
	switch c.Kind {
	case KindString:
		// a null string reads as "" (as in TABLEDATA, where empty strings are not null)
		c.Str = append(c.Str, decodeChars(f.prim, raw))
		markNull(c, row, false)
	case KindInt:
		var v int64
		switch f.prim {
		case "unsignedByte":
			v = int64(raw[0])
		case "short":
			v = int64(int16(binary.BigEndian.Uint16(raw)))
		case "int":
			v = int64(int32(binary.BigEndian.Uint32(raw)))
		case "long":
			v = int64(binary.BigEndian.Uint64(raw))
		}
		null := flagNull
		if f.nullOK && float64(v) == f.nullF {
			if nv, ok := parseIntText(strings.TrimSpace(f.nullStr)); !ok || nv == v {
				null = true
			}
		}
		c.Int = append(c.Int, v)
		markNull(c, row, null)
	case KindFloat:
		v, null := f.decodeElem(raw, 0)
		c.Float = append(c.Float, v)
		markNull(c, row, null || flagNull)
	case KindBool:
		v, null := f.decodeElem(raw, 0)
		c.Bool = append(c.Bool, v == 1)
		markNull(c, row, null || flagNull)
	case KindComplex:
		re, n1 := f.decodeElem(raw, 0)
		im, n2 := f.decodeElem(raw, 1)
		c.Float = append(c.Float, re)
		c.Imag = append(c.Imag, im)
		markNull(c, row, n1 || n2 || flagNull)
	case KindArray:
		var a ArrayCell
		if f.isCharType() {
			per := f.dims[0]
			if per <= 0 {
				per = 1
			}
			width := per * size
			for i := 0; i+width <= len(raw); i += width {
				a.S = append(a.S, decodeChars(f.prim, raw[i:i+width]))
			}
			if a.S == nil {
				a.S = []string{}
			}
		} else {
			per := 1
			if f.prim == "floatComplex" || f.prim == "doubleComplex" {
				per = 2
			}
			a.F = make([]float64, n*per)
			for i := 0; i < n; i++ {
				anyNull := false
				for k := 0; k < per; k++ {
					v, null := f.decodeElem(raw, i*per+k)
					a.F[i*per+k] = v
					anyNull = anyNull || null
				}
				if anyNull {
					if a.Null == nil {
						a.Null = make([]bool, n)
					}
					a.Null[i] = true
				}
			}
		}
		c.Arr = append(c.Arr, a)
		markNull(c, row, flagNull)
	}
	return nil
}
