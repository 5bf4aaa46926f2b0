package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A minimal, allocation-light XML tokenizer for VOTable: start/end/self-closing tags with
// attributes, text with entity references, CDATA, comments, processing instructions and
// DOCTYPE. Text is returned as substrings of the input whenever no entity needs decoding.

type xkind int

const (
	xEOF xkind = iota
	xStart
	xEnd
	xText
)

type xattr struct{ name, value string }

type xtoken struct {
	kind      xkind
	name      string // local name (namespace prefix removed)
	attrs     []xattr
	selfClose bool
	text      string
}

func (t *xtoken) attr(name string) (string, bool) {
	for _, a := range t.attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

func (t *xtoken) attrOr(name string) string {
	v, _ := t.attr(name)
	return v
}

type xscanner struct {
	s       string
	pos     int
	pending *xtoken // synthesized end for a self-closing tag
	attrBuf []xattr
}

func (x *xscanner) line() int { return 1 + strings.Count(x.s[:x.pos], "\n") }

func (x *xscanner) errf(format string, args ...any) error {
	return fmt.Errorf("XML line %d: %s", x.line(), fmt.Sprintf(format, args...))
}

// next returns the next token. Self-closing tags produce a start then an end token.
// Comments, PIs and DOCTYPE are skipped. Whitespace-only text between tags is returned
// too (callers ignore what they don't need).
func (x *xscanner) next() (xtoken, error) {
	if x.pending != nil {
		t := *x.pending
		x.pending = nil
		return t, nil
	}
	for {
		if x.pos >= len(x.s) {
			return xtoken{kind: xEOF}, nil
		}
		if x.s[x.pos] != '<' {
			end := strings.IndexByte(x.s[x.pos:], '<')
			if end < 0 {
				end = len(x.s) - x.pos
			}
			raw := x.s[x.pos : x.pos+end]
			x.pos += end
			txt, err := decodeEntities(raw)
			if err != nil {
				return xtoken{}, x.errf("%v", err)
			}
			return xtoken{kind: xText, text: txt}, nil
		}
		rest := x.s[x.pos:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return xtoken{}, x.errf("unterminated comment")
			}
			x.pos += 4 + end + 3
			continue
		case strings.HasPrefix(rest, "<![CDATA["):
			end := strings.Index(rest[9:], "]]>")
			if end < 0 {
				return xtoken{}, x.errf("unterminated CDATA section")
			}
			txt := rest[9 : 9+end]
			x.pos += 9 + end + 3
			return xtoken{kind: xText, text: txt}, nil
		case strings.HasPrefix(rest, "<?"):
			end := strings.Index(rest, "?>")
			if end < 0 {
				return xtoken{}, x.errf("unterminated processing instruction")
			}
			x.pos += end + 2
			continue
		case strings.HasPrefix(rest, "<!"):
			// DOCTYPE (possibly with an internal subset in brackets)
			depth := 0
			i := 2
			for ; i < len(rest); i++ {
				c := rest[i]
				if c == '[' {
					depth++
				} else if c == ']' {
					depth--
				} else if c == '>' && depth <= 0 {
					break
				}
			}
			if i >= len(rest) {
				return xtoken{}, x.errf("unterminated <! declaration")
			}
			x.pos += i + 1
			continue
		case strings.HasPrefix(rest, "</"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return xtoken{}, x.errf("unterminated end tag")
			}
			name := strings.TrimSpace(rest[2:end])
			x.pos += end + 1
			return xtoken{kind: xEnd, name: localName(name)}, nil
		}
		return x.startTag()
	}
}

func localName(n string) string {
	if i := strings.IndexByte(n, ':'); i >= 0 {
		return n[i+1:]
	}
	return n
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (x *xscanner) startTag() (xtoken, error) {
	s := x.s
	i := x.pos + 1
	st := i
	for i < len(s) && !isXMLSpace(s[i]) && s[i] != '>' && s[i] != '/' {
		i++
	}
	if i == st {
		return xtoken{}, x.errf("empty tag name")
	}
	tok := xtoken{kind: xStart, name: localName(s[st:i])}
	attrs := x.attrBuf[:0]
	for {
		for i < len(s) && isXMLSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return xtoken{}, x.errf("unterminated start tag <%s", tok.name)
		}
		if s[i] == '>' {
			i++
			break
		}
		if s[i] == '/' {
			if i+1 < len(s) && s[i+1] == '>' {
				tok.selfClose = true
				i += 2
				break
			}
			return xtoken{}, x.errf("bad '/' in tag <%s", tok.name)
		}
		ns := i
		for i < len(s) && s[i] != '=' && !isXMLSpace(s[i]) && s[i] != '>' && s[i] != '/' {
			i++
		}
		name := s[ns:i]
		for i < len(s) && isXMLSpace(s[i]) {
			i++
		}
		if i >= len(s) || s[i] != '=' {
			return xtoken{}, x.errf("attribute %q of <%s> has no value", name, tok.name)
		}
		i++
		for i < len(s) && isXMLSpace(s[i]) {
			i++
		}
		if i >= len(s) || (s[i] != '"' && s[i] != '\'') {
			return xtoken{}, x.errf("attribute %q of <%s> is not quoted", name, tok.name)
		}
		q := s[i]
		i++
		vs := i
		for i < len(s) && s[i] != q {
			i++
		}
		if i >= len(s) {
			return xtoken{}, x.errf("unterminated attribute %q of <%s>", name, tok.name)
		}
		val, err := decodeEntities(s[vs:i])
		if err != nil {
			return xtoken{}, x.errf("attribute %q of <%s>: %v", name, tok.name, err)
		}
		i++
		attrs = append(attrs, xattr{localName(name), val})
	}
	x.pos = i
	// attributes are copied so that tokens stay valid after the next call
	if len(attrs) > 0 {
		tok.attrs = append([]xattr(nil), attrs...)
	}
	x.attrBuf = attrs[:0]
	if tok.selfClose {
		x.pending = &xtoken{kind: xEnd, name: tok.name}
	}
	return tok, nil
}

// decodeEntities replaces XML entity and character references.
func decodeEntities(s string) (string, error) {
	amp := strings.IndexByte(s, '&')
	if amp < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		b.WriteString(s[:amp])
		s = s[amp:]
		semi := strings.IndexByte(s, ';')
		if semi < 0 || semi > 12 {
			return "", fmt.Errorf("bad entity reference near %q", trunc(s, 16))
		}
		ent := s[1:semi]
		switch ent {
		case "amp":
			b.WriteByte('&')
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "quot":
			b.WriteByte('"')
		case "apos":
			b.WriteByte('\'')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return "", fmt.Errorf("unknown entity &%s;", ent)
			}
			var v uint64
			var err error
			if ent[1] == 'x' || ent[1] == 'X' {
				v, err = strconv.ParseUint(ent[2:], 16, 32)
			} else {
				v, err = strconv.ParseUint(ent[1:], 10, 32)
			}
			if err != nil || v > utf8.MaxRune {
				return "", fmt.Errorf("bad character reference &%s;", ent)
			}
			b.WriteRune(rune(v))
		}
		s = s[semi+1:]
		amp = strings.IndexByte(s, '&')
		if amp < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
	}
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
