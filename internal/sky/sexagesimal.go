package sky

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseError reports a malformed or out-of-range angle or coordinate string.
type ParseError struct {
	Func  string // the parsing function: "ParseRA", "ParseDec", "ParseCoords"
	Input string // the input (truncated to 80 bytes)
	Msg   string // what is wrong, naming the bad part
}

// Error implements error.
func (e *ParseError) Error() string {
	return fmt.Sprintf("sky.%s %q: %s", e.Func, e.Input, e.Msg)
}

// maxInput bounds the length of an angle string; longer input is rejected.
const maxInput = 256

// maxWords bounds the number of whitespace-separated words in ParseCoords.
const maxWords = 16

func newParseError(fn, in, format string, args ...any) *ParseError {
	if len(in) > 80 {
		in = in[:80] + "…"
	}
	return &ParseError{Func: fn, Input: in, Msg: fmt.Sprintf(format, args...)}
}

// unit kinds attached to a field of a sexagesimal angle.
const (
	uNone  = iota // no marker (last field, or single decimal field)
	uHour         // h
	uDeg          // d, deg, °
	uMin          // m, ′, '
	uSec          // s, ″, ", ''
	uColon        // :
	uSpace        // whitespace only
)

var unitName = [...]string{"", "h", "d", "m", "s", ":", " "}

// matchUnit recognises a unit marker or separator at the start of s and
// returns its kind and byte length (uNone, 0 if there is none).
func matchUnit(s string) (kind, n int) {
	if s == "" {
		return uNone, 0
	}
	switch s[0] {
	case 'd', 'D':
		if len(s) >= 3 && strings.EqualFold(s[:3], "deg") {
			return uDeg, 3
		}
		return uDeg, 1
	case 'h', 'H':
		return uHour, 1
	case 'm', 'M':
		return uMin, 1
	case 's', 'S':
		return uSec, 1
	case ':':
		return uColon, 1
	case '\'':
		if len(s) >= 2 && s[1] == '\'' {
			return uSec, 2
		}
		return uMin, 1
	case '"':
		return uSec, 1
	}
	switch r, w := utf8.DecodeRuneInString(s); r {
	case '°', 'º':
		return uDeg, w
	case '′', 'ʹ', '’':
		return uMin, w
	case '″', 'ʺ', '”':
		return uSec, w
	}
	return uNone, 0
}

type sexField struct {
	text    string
	val     float64
	frac    bool // has a decimal point or exponent
	exp     bool // has an exponent
	unit    int
	unitPos int // byte offset of the marker
}

// splitAngle scans one angle: an optional sign followed by one to three
// numeric fields, each optionally followed by a unit marker or separator.
func splitAngle(s string, buf *[3]sexField) (neg bool, fields []sexField, msg string) {
	fields = buf[:0]
	i := 0
	if r, n := utf8.DecodeRuneInString(s); r == '+' || r == '-' || r == '−' {
		neg = r != '+'
		i = n
	}
	for i < len(s) {
		if len(fields) == 3 {
			return neg, nil, fmt.Sprintf("unexpected %q after the seconds field", s[i:])
		}
		// number
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		f := sexField{}
		nd := i - start
		if i < len(s) && s[i] == '.' {
			f.frac = true
			i++
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
				nd++
			}
		}
		if nd == 0 {
			if start < len(s) {
				return neg, nil, fmt.Sprintf("expected a number at %q", s[start:])
			}
			return neg, nil, "expected a number at the end"
		}
		if i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') {
			j := i + 1
			if s[j] == '+' || s[j] == '-' {
				j++
			}
			if j < len(s) && s[j] >= '0' && s[j] <= '9' {
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				f.frac, f.exp = true, true
				i = j
			}
		}
		f.text = s[start:i]
		v, err := strconv.ParseFloat(f.text, 64)
		if err != nil || math.IsInf(v, 0) {
			return neg, nil, fmt.Sprintf("number %q out of range", f.text)
		}
		f.val = v
		// unit marker or separator
		j := skipSpace(s, i)
		f.unitPos = j
		var ulen int
		f.unit, ulen = matchUnit(s[j:])
		j += ulen
		if f.unit == uNone && j > i && j < len(s) {
			f.unit = uSpace
		}
		i = skipSpace(s, j)
		fields = append(fields, f)
		if f.unit == uNone && i < len(s) {
			return neg, nil, fmt.Sprintf("unexpected %q after %q", s[i:], f.text)
		}
	}
	if len(fields) == 0 {
		return neg, nil, "expected a number after the sign"
	}
	return neg, fields, ""
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' && r != '\u00a0' {
			break
		}
		i += n
	}
	return i
}

// parseAngle parses an RA (ra=true) or Dec and returns degrees.
func parseAngle(fn, s string, ra bool) (float64, error) {
	in := s
	s = strings.TrimSpace(s)
	what := "declination"
	if ra {
		what = "right ascension"
	}
	if s == "" {
		return math.NaN(), newParseError(fn, in, "empty %s", what)
	}
	if len(s) > maxInput {
		return math.NaN(), newParseError(fn, in, "longer than %d bytes", maxInput)
	}
	var buf [3]sexField
	neg, fields, msg := splitAngle(s, &buf)
	if msg != "" {
		return math.NaN(), newParseError(fn, in, "%s", msg)
	}
	first := fields[0]
	last := fields[len(fields)-1]
	hours := false
	switch first.unit {
	case uHour:
		hours = true
	case uDeg:
	case uColon, uSpace:
		hours = ra
	case uNone:
		// single decimal number: degrees
	default:
		return math.NaN(), newParseError(fn, in, "first field %q has unit %q; expected hours or degrees", first.text, unitName[first.unit])
	}
	if hours && !ra {
		return math.NaN(), newParseError(fn, in, "declination cannot be in hours (%q)", first.text+"h")
	}
	// Check the markers of the following fields.
	style := first.unit
	for k := 1; k < len(fields); k++ {
		f := fields[k]
		want := style
		if style == uHour || style == uDeg {
			want = uMin
			if k == 2 {
				want = uSec
			}
		}
		if f.unit != want && f.unit != uNone {
			return math.NaN(), newParseError(fn, in, "field %q: unexpected marker %q (expected %q or none)", f.text, unitName[f.unit], unitName[want])
		}
		if k == len(fields)-1 && f.unit == uColon {
			return math.NaN(), newParseError(fn, in, "trailing ':' after %q", f.text)
		}
	}
	if len(fields) > 1 && (style == uColon || style == uSpace) && last.unit != uNone {
		return math.NaN(), newParseError(fn, in, "trailing %q after %q", unitName[last.unit], last.text)
	}
	if len(fields) == 1 && (first.unit == uColon || first.unit == uSpace) {
		return math.NaN(), newParseError(fn, in, "missing minutes after %q", first.text)
	}
	for k, f := range fields {
		if len(fields) > 1 && f.exp {
			return math.NaN(), newParseError(fn, in, "exponent not allowed in sexagesimal field %q", f.text)
		}
		if k < len(fields)-1 && f.frac {
			return math.NaN(), newParseError(fn, in, "only the last field may have a fraction, not %q", f.text)
		}
	}
	names := [...]string{"", "minutes", "seconds"}
	total := first.val
	for k := 1; k < len(fields); k++ {
		f := fields[k]
		if f.val >= 60 {
			return math.NaN(), newParseError(fn, in, "%s field %q must be less than 60", names[k], f.text)
		}
		total += f.val / math.Pow(60, float64(k))
	}
	if hours {
		if total >= 24 {
			return math.NaN(), newParseError(fn, in, "hours %q out of range: RA must be less than 24h", first.text)
		}
		total *= 15
	}
	if neg {
		total = -total
	}
	if ra {
		if neg && total != 0 {
			return math.NaN(), newParseError(fn, in, "negative right ascension")
		}
		if total > 360 {
			return math.NaN(), newParseError(fn, in, "right ascension %q out of range: must be at most 360 degrees", first.text)
		}
		if total == 360 {
			total = 0
		}
		return math.Abs(total), nil
	}
	if total > 90 || total < -90 {
		return math.NaN(), newParseError(fn, in, "declination %q out of range: |dec| must be at most 90 degrees", first.text)
	}
	return total + 0, nil // +0 turns -0 into 0
}

// ParseRA parses a right ascension and returns it in degrees in [0, 360).
// Accepted forms: sexagesimal hours "12:30:49.42", "12 30 49.42",
// "12h30m49.4s", "12h30.5m", "12.5h"; sexagesimal degrees when marked with
// 'd' or '°' ("187d42m21s", "187°42′21″"); plain decimal numbers are degrees
// ("187.7059", "187.7059d"). Minutes and seconds must be below 60, hours below
// 24 and degrees at most 360 (360 itself gives 0); only the last field may
// have a fraction. Errors are *ParseError.
func ParseRA(s string) (float64, error) {
	return parseAngle("ParseRA", s, true)
}

// ParseDec parses a declination and returns it in degrees in [-90, 90]. It
// accepts "+12:23:28.0", "-00:30:00" (the sign applies to the whole angle, so
// this is -0.5°), "12 23 28", "+12d23m28s", "12°23′28″", "-12.3911". Hours
// are refused. Errors are *ParseError.
func ParseDec(s string) (float64, error) {
	return parseAngle("ParseDec", s, false)
}

// ParseCoords parses a right ascension and a declination given together in
// one string, such as "12:30:49.42 +12:23:28.0", "12 30 49.42 +12 23 28.0",
// "12h30m49.4s +12d23m28s", "187.7059 12.3911" or "187.7059, 12.3911". The
// two parts are split at a comma if there is one, else at the whitespace
// separated word starting with a sign (or at a sign inside a single word,
// "12h30m49.4s+12d23m28s"), else into two halves of equal word count. Each
// part is then parsed as by ParseRA and ParseDec.
func ParseCoords(s string) (ra, dec float64, err error) {
	const fn = "ParseCoords"
	nan := math.NaN()
	if len(s) > 2*maxInput {
		return nan, nan, newParseError(fn, s, "longer than %d bytes", 2*maxInput)
	}
	var ras, decs string
	if strings.Count(s, ",") == 1 {
		ras, decs, _ = strings.Cut(s, ",")
	} else if strings.Contains(s, ",") {
		return nan, nan, newParseError(fn, s, "more than one comma")
	} else {
		// Byte offsets of the whitespace-separated words.
		var starts [maxWords]int
		n := 0
		for i := 0; i < len(s); {
			i = skipSpace(s, i)
			if i >= len(s) {
				break
			}
			if n == maxWords {
				return nan, nan, newParseError(fn, s, "more than %d words", maxWords)
			}
			starts[n] = i
			n++
			for i < len(s) {
				if j := skipSpace(s, i); j > i {
					break
				}
				_, w := utf8.DecodeRuneInString(s[i:])
				i += w
			}
		}
		switch n {
		case 0:
			return nan, nan, newParseError(fn, s, "empty coordinates")
		case 1:
			w := strings.TrimSpace(s)
			k := signSplit(w)
			if k < 0 {
				return nan, nan, newParseError(fn, s, "need a right ascension and a declination")
			}
			ras, decs = w[:k], w[k:]
		default:
			split := -1
			for i := 1; i < n; i++ {
				if r, _ := utf8.DecodeRuneInString(s[starts[i]:]); r == '+' || r == '-' || r == '−' {
					if split >= 0 {
						return nan, nan, newParseError(fn, s, "several signed words; cannot tell where the declination starts")
					}
					split = i
				}
			}
			if split < 0 {
				if n%2 != 0 {
					return nan, nan, newParseError(fn, s, "%d words without a sign or comma: cannot tell where the declination starts", n)
				}
				split = n / 2
			}
			ras, decs = s[:starts[split]], s[starts[split]:]
		}
	}
	ra, err = ParseRA(ras)
	if err != nil {
		return nan, nan, fmt.Errorf("sky.ParseCoords %q: right ascension: %w", truncate(s), err)
	}
	dec, err = ParseDec(decs)
	if err != nil {
		return nan, nan, fmt.Errorf("sky.ParseCoords %q: declination: %w", truncate(s), err)
	}
	return ra, dec, nil
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// signSplit returns the byte index of a '+', '-' or '−' inside w (not at its
// start and not part of an exponent) where a declination starts, or -1.
func signSplit(w string) int {
	found := -1
	for i, r := range w {
		if i == 0 || (r != '+' && r != '-' && r != '−') {
			continue
		}
		if p := w[i-1]; (p == 'e' || p == 'E') && i >= 2 && (w[i-2] >= '0' && w[i-2] <= '9' || w[i-2] == '.') {
			continue // exponent
		}
		if found >= 0 {
			return -1
		}
		found = i
	}
	return found
}

// Style selects the notation of FormatRAStyle and FormatDecStyle.
type Style int

// Notations for sexagesimal formatting.
const (
	Colons  Style = iota // 12:30:49.42  +12:23:28.0
	Spaces               // 12 30 49.42  +12 23 28.0
	Letters              // 12h30m49.42s +12d23m28.0s
	Symbols              // 12h30m49.42s +12°23′28.0″
)

// FormatRA formats a right ascension given in degrees as hours, minutes and
// seconds with colons, with precision digits after the decimal point of the
// seconds (0 to 9; out-of-range values are clamped): FormatRA(187.7059, 2) is
// "12:30:49.42". The value is reduced to [0, 360) and rounding carries into
// minutes and hours (59.999s becomes the next minute; 24h becomes 0h). NaN or
// ±Inf give "NaN".
func FormatRA(deg float64, precision int) string {
	return FormatRAStyle(deg, precision, Colons)
}

// FormatDec formats a declination in degrees as signed degrees, minutes and
// seconds with colons and precision digits after the decimal point of the
// seconds (clamped to 0..9): FormatDec(12.3911, 1) is "+12:23:28.0". The sign
// is always written, "+" when the rounded value is zero. NaN or ±Inf give
// "NaN".
func FormatDec(deg float64, precision int) string {
	return FormatDecStyle(deg, precision, Colons)
}

// FormatRAStyle is FormatRA in the notation given by style.
func FormatRAStyle(deg float64, precision int, style Style) string {
	if math.IsNaN(deg) || math.IsInf(deg, 0) {
		return "NaN"
	}
	p := clampPrecision(precision)
	scale := pow10[p]
	hours := NormLon(deg) / 15
	n := int64(math.Round(hours * 3600 * float64(scale)))
	n %= 24 * 3600 * scale
	return formatDMS("", n, p, scale, style, true)
}

// FormatDecStyle is FormatDec in the notation given by style.
func FormatDecStyle(deg float64, precision int, style Style) string {
	if math.IsNaN(deg) || math.IsInf(deg, 0) {
		return "NaN"
	}
	p := clampPrecision(precision)
	scale := pow10[p]
	a := math.Abs(deg)
	if a > 1e6 { // not a declination; keep the integer arithmetic in range
		return strconv.FormatFloat(deg, 'g', -1, 64)
	}
	n := int64(math.Round(a * 3600 * float64(scale)))
	sign := "+"
	if deg < 0 && n != 0 {
		sign = "-"
	}
	return formatDMS(sign, n, p, scale, style, false)
}

// FormatCoords formats a position as "12:30:49.420 +12:23:28.00": the right
// ascension with precision decimals of seconds of time and the declination
// with one decimal fewer (a second of time is 15 arcseconds), both clamped to
// 0..9.
func FormatCoords(ra, dec float64, precision int) string {
	return FormatRA(ra, precision) + " " + FormatDec(dec, precision-1)
}

var pow10 = [...]int64{1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

func clampPrecision(p int) int {
	if p < 0 {
		return 0
	}
	if p > 9 {
		return 9
	}
	return p
}

// formatDMS writes n units of 10^-p seconds as units:minutes:seconds.
func formatDMS(sign string, n int64, p int, scale int64, style Style, hours bool) string {
	frac := n % scale
	secs := n / scale
	s := secs % 60
	m := (secs / 60) % 60
	u := secs / 3600
	var sep1, sep2, sep3 string
	switch style {
	case Spaces:
		sep1, sep2 = " ", " "
	case Letters:
		sep1, sep2, sep3 = "d", "m", "s"
		if hours {
			sep1 = "h"
		}
	case Symbols:
		sep1, sep2, sep3 = "°", "′", "″"
		if hours {
			sep1, sep2, sep3 = "h", "m", "s"
		}
	default:
		sep1, sep2 = ":", ":"
	}
	b := make([]byte, 0, 32)
	b = append(b, sign...)
	b = appendPadded(b, u, 2)
	b = append(b, sep1...)
	b = appendPadded(b, m, 2)
	b = append(b, sep2...)
	b = appendPadded(b, s, 2)
	if p > 0 {
		b = append(b, '.')
		b = appendPadded(b, frac, p)
	}
	b = append(b, sep3...)
	return string(b)
}

// appendPadded appends the non-negative n in decimal with at least width
// digits (leading zeros).
func appendPadded(b []byte, n int64, width int) []byte {
	var d [20]byte
	i := len(d)
	for n >= 10 || width > 1 {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	i--
	d[i] = byte('0' + n)
	return append(b, d[i:]...)
}
