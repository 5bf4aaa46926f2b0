package fits

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// CardSize is the length in bytes of one FITS header card.
const CardSize = 80

// BlockSize is the length in bytes of one FITS logical record.
const BlockSize = 2880

// ValueKind says what type of value a card holds.
type ValueKind int

// Kinds of card values.
const (
	KindNone    ValueKind = iota // no value (COMMENT, HISTORY, blank, or an undefined value)
	KindString                   // quoted character string
	KindBool                     // logical T or F
	KindInt                      // integer that fits in int64
	KindFloat                    // real number (also integers too large for int64)
	KindComplex                  // complex integer or real, "(re, im)"
)

// Card is one parsed header card.
type Card struct {
	Key     string    // keyword, upper case, trailing blanks removed; HIERARCH keys keep their dotted/space-separated name
	Kind    ValueKind // type of Value
	Str     string    // the string value (KindString), without quotes and with '' unescaped; trailing blanks removed
	Bool    bool      // the logical value (KindBool)
	Int     int64     // the integer value (KindInt)
	Float   float64   // the real value (KindFloat); for KindInt the same value as a float64
	Complex complex128
	Comment string // the comment after '/', or the text of COMMENT/HISTORY/blank-key cards
	Raw     string // the original card text (up to 80 characters)
	Offset  int64  // byte offset of the card from the start of the parsed buffer
}

// Header is an ordered list of cards with lookup by keyword. Lookups return the
// first card with a given keyword, as CFITSIO and astropy do.
type Header struct {
	Cards []Card
	// Warnings lists cards kept despite a malformed value (see ParseHeader),
	// each naming the keyword and byte offset.
	Warnings []string
	index    map[string]int
}

// HeaderError names what is wrong with a header card and where it is.
type HeaderError struct {
	Offset int64  // byte offset of the card within the parsed buffer (or file, when set by Open)
	Key    string // keyword of the card, when known
	Msg    string
}

func (e *HeaderError) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("fits header: keyword %s at byte %d: %s", e.Key, e.Offset, e.Msg)
	}
	return fmt.Sprintf("fits header: card at byte %d: %s", e.Offset, e.Msg)
}

// ParseHeader parses a FITS header given either as a run of 80-character cards
// (as stored in a FITS file; the END card is optional) or as text with one card
// per line (the ".hdr" files many tools write). Parsing stops at the END card.
// A malformed non-string value (such as DSS's "SKEW = -1.38E+00, -1.69E+00") does
// not stop the parse: the card is kept with Kind KindNone and its text in Raw, and
// Header.Warnings names the keyword and byte offset, as astropy accepts such cards
// with a warning. Non-ASCII bytes and unterminated strings are errors.
func ParseHeader(b []byte) (*Header, error) {
	h := &Header{}
	lines := splitCards(b)
	for _, ln := range lines {
		text := ln.text
		if strings.TrimSpace(text) == "" {
			continue
		}
		c, err := parseCard(text, ln.off)
		if err != nil {
			if c, err = keepInvalidCard(h, text, ln.off, err); err != nil {
				return nil, err
			}
		}
		if c.Key == "END" {
			break
		}
		h.Append(c)
	}
	h.mergeContinue()
	return h, nil
}

// mergeContinue joins long string values written with the CONTINUE convention
// (a string ending in '&' followed by CONTINUE cards holding string values) into
// one card, as astropy and CFITSIO present them. The CONTINUE cards are removed;
// the merged card's Raw holds all the original card texts.
func (h *Header) mergeContinue() {
	has := false
	for _, c := range h.Cards {
		if c.Key == "CONTINUE" {
			has = true
			break
		}
	}
	if !has {
		return
	}
	out := h.Cards[:0]
	for i := 0; i < len(h.Cards); i++ {
		c := h.Cards[i]
		if c.Kind == KindString && strings.HasSuffix(c.Str, "&") {
			for i+1 < len(h.Cards) && h.Cards[i+1].Key == "CONTINUE" && strings.HasSuffix(c.Str, "&") {
				next := h.Cards[i+1]
				var part Card
				text := next.Raw
				if len(text) > 8 {
					text = text[8:]
				} else {
					text = ""
				}
				if err := parseValue(&part, text); err != nil || part.Kind != KindString {
					break
				}
				c.Str = c.Str[:len(c.Str)-1] + part.Str
				if part.Comment != "" {
					if c.Comment != "" {
						c.Comment += " "
					}
					c.Comment += part.Comment
				}
				c.Raw += next.Raw
				i++
			}
		}
		out = append(out, c)
	}
	h.Cards = out
	h.reindex()
}

// parseHeaderBlocks parses the 80-character cards of a header read from a FITS
// file, whose first byte is at file offset base. It reports whether the END card
// was found. Unlike ParseHeader it never treats newlines as card separators.
//
// A card whose value cannot be parsed, or whose keyword has characters the
// standard does not allow, does not stop the scan: the card is kept with no
// value (its text in Raw and Comment) and a *HeaderError is returned in problems,
// as astropy keeps such files readable. Structural keywords are checked later.
func parseHeaderBlocks(b []byte, base int64) (h *Header, end bool, problems []error) {
	h = &Header{}
	for i := 0; i+CardSize <= len(b); i += CardSize {
		text := string(b[i : i+CardSize])
		if text == blankCard {
			continue
		}
		off := base + int64(i)
		c, err := parseCard(text, off)
		if err != nil {
			problems = append(problems, err)
			h.Warnings = append(h.Warnings, err.Error())
			key := strings.TrimRight(text[:8], " ")
			if he, ok := err.(*HeaderError); ok && he.Key != "" {
				key = he.Key
			}
			c = Card{Key: strings.ToUpper(sanitizeASCII(key)), Comment: sanitizeASCII(text), Raw: sanitizeASCII(text), Offset: off}
		} else if msg := checkKeyword(text); msg != "" {
			problems = append(problems, &HeaderError{Offset: off, Key: c.Key, Msg: msg})
		}
		if c.Key == "END" {
			end = true
			break
		}
		h.Append(c)
	}
	h.mergeContinue()
	return h, end, problems
}

// checkKeyword reports what is wrong with a keyword by the FITS standard
// (upper-case letters, digits, '-' and '_', left-justified), or "".
// HIERARCH keywords are not checked.
func checkKeyword(text string) string {
	if strings.HasPrefix(text, "HIERARCH") {
		return ""
	}
	name := text[:min(8, len(text))]
	trimmed := strings.TrimRight(name, " ")
	if strings.Contains(trimmed, " ") {
		return "keyword has embedded or leading blanks"
	}
	for i := 0; i < len(trimmed); i++ {
		ch := trimmed[i]
		switch {
		case ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9', ch == '-', ch == '_':
		case ch >= 'a' && ch <= 'z':
			return "keyword has lower-case letters (read as upper case)"
		default:
			return fmt.Sprintf("keyword has illegal character %q", ch)
		}
	}
	return ""
}

// sanitizeASCII replaces bytes outside printable ASCII with '?'.
func sanitizeASCII(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if ch < 0x20 || ch > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

var blankCard = strings.Repeat(" ", CardSize)

type rawCard struct {
	text string
	off  int64
}

// splitCards splits a buffer into card texts. A buffer that contains a newline
// is read as one card per line (each at most 80 characters, longer lines are
// cut); otherwise it is cut every 80 bytes.
func splitCards(b []byte) []rawCard {
	var out []rawCard
	if bytes.IndexByte(b, '\n') >= 0 {
		var off int64
		for len(b) > 0 {
			i := bytes.IndexByte(b, '\n')
			var line []byte
			if i < 0 {
				line, b = b, nil
			} else {
				line, b = b[:i], b[i+1:]
			}
			l := strings.TrimRight(string(line), "\r")
			// A line may still hold several 80-char cards glued together.
			for len(l) > CardSize {
				out = append(out, rawCard{l[:CardSize], off})
				l = l[CardSize:]
				off += CardSize
			}
			out = append(out, rawCard{l, off})
			off += int64(len(line)) + 1
		}
		return out
	}
	for i := 0; i < len(b); i += CardSize {
		j := min(i+CardSize, len(b))
		out = append(out, rawCard{string(b[i:j]), int64(i)})
	}
	return out
}

// Append adds a card at the end of the header.
func (h *Header) Append(c Card) {
	if h.index == nil {
		h.index = make(map[string]int)
	}
	if _, dup := h.index[c.Key]; !dup && c.Key != "" && c.Key != "COMMENT" && c.Key != "HISTORY" {
		h.index[c.Key] = len(h.Cards)
	}
	h.Cards = append(h.Cards, c)
}

// Set replaces the value of the first card with the given keyword, or appends a
// new card. v may be a string, bool, int, int64, float64 or nil (no value).
func (h *Header) Set(key string, v any, comment string) {
	c := Card{Key: strings.ToUpper(key), Comment: comment}
	switch x := v.(type) {
	case string:
		c.Kind, c.Str = KindString, x
	case bool:
		c.Kind, c.Bool = KindBool, x
	case int:
		c.Kind, c.Int, c.Float = KindInt, int64(x), float64(x)
	case int64:
		c.Kind, c.Int, c.Float = KindInt, x, float64(x)
	case float64:
		c.Kind, c.Float = KindFloat, x
	case nil:
		c.Kind = KindNone
	default:
		c.Kind, c.Str = KindString, fmt.Sprint(x)
	}
	c.Raw = c.Format()
	if i, ok := h.index[c.Key]; ok {
		c.Offset = h.Cards[i].Offset
		h.Cards[i] = c
		return
	}
	h.Append(c)
}

// Delete removes every card with the given keyword.
func (h *Header) Delete(key string) {
	key = strings.ToUpper(key)
	cards := h.Cards[:0]
	for _, c := range h.Cards {
		if c.Key != key {
			cards = append(cards, c)
		}
	}
	h.Cards = cards
	h.reindex()
}

func (h *Header) reindex() {
	h.index = make(map[string]int, len(h.Cards))
	for i, c := range h.Cards {
		if _, dup := h.index[c.Key]; !dup && c.Key != "" && c.Key != "COMMENT" && c.Key != "HISTORY" {
			h.index[c.Key] = i
		}
	}
}

// Clone returns a deep copy of the header.
func (h *Header) Clone() *Header {
	n := &Header{Cards: append([]Card(nil), h.Cards...), Warnings: append([]string(nil), h.Warnings...)}
	n.reindex()
	return n
}

// Card returns the first card with the given keyword.
func (h *Header) Card(key string) (Card, bool) {
	if h == nil {
		return Card{}, false
	}
	i, ok := h.index[strings.ToUpper(key)]
	if !ok {
		return Card{}, false
	}
	return h.Cards[i], true
}

// Has reports whether a card with the keyword exists.
func (h *Header) Has(key string) bool {
	_, ok := h.Card(key)
	return ok
}

// String returns the value of a string-valued keyword.
func (h *Header) String(key string) (string, bool) {
	c, ok := h.Card(key)
	if !ok || c.Kind != KindString {
		return "", false
	}
	return c.Str, true
}

// Float returns the value of a numeric keyword (integer or real) as float64.
func (h *Header) Float(key string) (float64, bool) {
	c, ok := h.Card(key)
	if !ok {
		return 0, false
	}
	switch c.Kind {
	case KindInt, KindFloat:
		return c.Float, true
	}
	return 0, false
}

// Int returns the value of an integer keyword. A real value with no fractional
// part is accepted too (some writers put "2.0" in NAXIS-like keywords).
func (h *Header) Int(key string) (int64, bool) {
	c, ok := h.Card(key)
	if !ok {
		return 0, false
	}
	switch c.Kind {
	case KindInt:
		return c.Int, true
	case KindFloat:
		if c.Float == math.Trunc(c.Float) && math.Abs(c.Float) < 1<<62 {
			return int64(c.Float), true
		}
	}
	return 0, false
}

// Bool returns the value of a logical keyword.
func (h *Header) Bool(key string) (bool, bool) {
	c, ok := h.Card(key)
	if !ok || c.Kind != KindBool {
		return false, false
	}
	return c.Bool, true
}

// Keys returns the keywords in order, including repeated ones.
func (h *Header) Keys() []string {
	out := make([]string, len(h.Cards))
	for i, c := range h.Cards {
		out[i] = c.Key
	}
	return out
}

// Format returns the card as an 80-character FITS card image.
func (c Card) Format() string {
	var val string
	switch c.Kind {
	case KindString:
		s := strings.ReplaceAll(c.Str, "'", "''")
		if len(s) < 8 {
			s += strings.Repeat(" ", 8-len(s))
		}
		val = fmt.Sprintf("%-20s", "'"+s+"'")
	case KindBool:
		v := "F"
		if c.Bool {
			v = "T"
		}
		val = fmt.Sprintf("%20s", v)
	case KindInt:
		val = fmt.Sprintf("%20d", c.Int)
	case KindFloat:
		val = fmt.Sprintf("%20s", formatFloat(c.Float))
	case KindComplex:
		val = fmt.Sprintf("(%s, %s)", formatFloat(real(c.Complex)), formatFloat(imag(c.Complex)))
	}
	var s string
	switch {
	case c.Key == "COMMENT" || c.Key == "HISTORY" || c.Key == "":
		s = fmt.Sprintf("%-8s%s", c.Key, c.Comment)
	case c.Kind == KindNone && c.Comment == "":
		s = fmt.Sprintf("%-8s=", c.Key)
	default:
		key := c.Key
		if len(key) > 8 {
			key = "HIERARCH " + key
			s = key + " = " + strings.TrimSpace(val)
		} else {
			s = fmt.Sprintf("%-8s= %s", key, val)
		}
		if c.Comment != "" {
			s += " / " + c.Comment
		}
	}
	if len(s) > CardSize {
		s = s[:CardSize]
	}
	return s + strings.Repeat(" ", CardSize-len(s))
}

// formatFloat writes a real number the way FITS writers do: always with a
// decimal point or an exponent, with the shortest representation that round-trips.
func formatFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0.0" // FITS has no NaN in headers; callers should avoid writing it
	}
	s := strconv.FormatFloat(f, 'G', -1, 64)
	if !strings.ContainsAny(s, ".E") {
		s += ".0"
	}
	return s
}

// parseCard parses one card (at most 80 characters).
func parseCard(text string, off int64) (Card, error) {
	for i := 0; i < len(text); i++ {
		if text[i] < 0x20 || text[i] > 0x7e {
			return Card{}, &HeaderError{Offset: off + int64(i), Msg: fmt.Sprintf("non-ASCII or control byte 0x%02x in card", text[i])}
		}
	}
	c := Card{Raw: text, Offset: off}
	if len(text) < 8 {
		text += strings.Repeat(" ", 8-len(text))
	}
	key := strings.TrimRight(text[:8], " ")
	rest := ""
	hasValue := len(text) >= 10 && text[8:10] == "= "
	if len(text) >= 10 {
		rest = text[10:]
	}
	// Lenient: "KEY = value" written by text tools with the '=' before column 9,
	// or "KEY= value".
	if !hasValue && key != "COMMENT" && key != "HISTORY" && key != "" {
		if eq := strings.IndexByte(text, '='); eq > 0 && eq < 9 && !strings.Contains(strings.TrimSpace(text[:eq]), " ") {
			key = strings.TrimSpace(text[:eq])
			rest = text[eq+1:]
			hasValue = true
		}
	}
	if strings.HasPrefix(key, "HIERARCH") || strings.HasPrefix(text, "HIERARCH ") {
		if eq := strings.IndexByte(text, '='); eq > 0 {
			key = strings.Join(strings.Fields(text[8:eq]), " ")
			rest = text[eq+1:]
			hasValue = true
		}
	}
	c.Key = strings.ToUpper(key)
	if !hasValue || c.Key == "COMMENT" || c.Key == "HISTORY" || c.Key == "" {
		if len(text) > 8 {
			c.Comment = strings.TrimRight(text[8:], " ")
		}
		if c.Key == "CONTINUE" {
			c.Comment = strings.TrimRight(rest, " ")
		}
		return c, nil
	}
	if err := parseValue(&c, rest); err != nil {
		return Card{}, &HeaderError{Offset: off, Key: c.Key, Msg: err.Error()}
	}
	return c, nil
}

// parseValue parses the value/comment field of a card.
func parseValue(c *Card, s string) error {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return nil // undefined value
	}
	if t[0] == '/' {
		c.Comment = strings.TrimSpace(t[1:])
		return nil
	}
	if t[0] == '\'' {
		var sb strings.Builder
		i := 1
		for {
			if i >= len(t) {
				return fmt.Errorf("string value has no closing quote")
			}
			if t[i] == '\'' {
				if i+1 < len(t) && t[i+1] == '\'' {
					sb.WriteByte('\'')
					i += 2
					continue
				}
				i++
				break
			}
			sb.WriteByte(t[i])
			i++
		}
		c.Kind = KindString
		c.Str = strings.TrimRight(sb.String(), " ")
		c.Comment = commentAfter(t[i:])
		return nil
	}
	// Non-string value: up to the comment slash.
	val := t
	if j := strings.IndexByte(t, '/'); j >= 0 {
		val = t[:j]
		c.Comment = strings.TrimSpace(t[j+1:])
	}
	val = strings.TrimSpace(val)
	if val == "" {
		return nil
	}
	switch val {
	case "T":
		c.Kind, c.Bool = KindBool, true
		return nil
	case "F":
		c.Kind, c.Bool = KindBool, false
		return nil
	}
	if val[0] == '(' {
		if val[len(val)-1] != ')' {
			return fmt.Errorf("complex value %q has no closing parenthesis", val)
		}
		parts := strings.Split(val[1:len(val)-1], ",")
		if len(parts) != 2 {
			return fmt.Errorf("complex value %q must have two parts", val)
		}
		re, err1 := parseReal(strings.TrimSpace(parts[0]))
		im, err2 := parseReal(strings.TrimSpace(parts[1]))
		if err1 != nil || err2 != nil {
			return fmt.Errorf("malformed complex value %q", val)
		}
		c.Kind, c.Complex = KindComplex, complex(re, im)
		return nil
	}
	if isIntLiteral(val) {
		if n, err := strconv.ParseInt(strings.TrimPrefix(val, "+"), 10, 64); err == nil {
			c.Kind, c.Int, c.Float = KindInt, n, float64(n)
			return nil
		}
	}
	f, err := parseReal(val)
	if err != nil {
		return fmt.Errorf("malformed value %q (not a string, logical, integer, real or complex)", val)
	}
	c.Kind, c.Float = KindFloat, f
	return nil
}

func commentAfter(s string) string {
	s = strings.TrimLeft(s, " ")
	if strings.HasPrefix(s, "/") {
		return strings.TrimSpace(s[1:])
	}
	return strings.TrimSpace(s)
}

func isIntLiteral(s string) bool {
	if s == "" {
		return false
	}
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i = 1
	}
	if i == len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseReal parses a FITS real: Fortran-style, with E or D exponents.
func parseReal(s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty number")
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= '0' && ch <= '9' || ch == '.' || ch == '+' || ch == '-' || ch == 'E' || ch == 'e' || ch == 'D' || ch == 'd') {
			return 0, fmt.Errorf("bad character %q in number", ch)
		}
	}
	s = strings.NewReplacer("D", "E", "d", "E").Replace(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// ParseFloat returns ±Inf with a range error for overflow; keep the error.
		return 0, err
	}
	return f, nil
}
