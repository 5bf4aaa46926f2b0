// Package regions parses SAOImage DS9 region files (format version 4.x): shapes, their
// coordinates in sky (fk4, fk5, icrs, galactic, ecliptic) or image/physical frames,
// sizes with units, and the global and per-region properties.
package regions

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Shape names produced by the parser.
const (
	Circle         = "circle"
	Ellipse        = "ellipse"
	Box            = "box"
	Polygon        = "polygon"
	Line           = "line"
	Point          = "point"
	Text           = "text"
	Annulus        = "annulus"         // circle annulus: Sizes = radii r1 < r2 < … (n−1 rings)
	EllipseAnnulus = "ellipse_annulus" // Sizes = a1, b1, a2, b2, …
	BoxAnnulus     = "box_annulus"     // Sizes = w1, h1, w2, h2, …
	Vector         = "vector"          // Sizes = [length], Angle = direction
	Composite      = "composite"       // Points = centre, Angle; members follow with Group set
)

// Frames.
const (
	FrameICRS     = "icrs"
	FrameFK5      = "fk5"
	FrameFK4      = "fk4"
	FrameGalactic = "galactic"
	FrameEcliptic = "ecliptic"
	FrameImage    = "image"
	FramePhysical = "physical"
)

// Region is one parsed shape. Coordinates are as in the file: degrees (lon, lat) in the
// region's sky Frame, or DS9's 1-based pixel coordinates for image/physical frames.
type Region struct {
	Shape string
	Frame string
	// Equinox is "J2000" for fk5, "B1950" for fk4, "" otherwise.
	Equinox string
	// Points holds the centre (one point) or the vertices (polygon) or the two ends (line).
	Points [][2]float64
	// Sizes: circle [r]; ellipse [a, b] semi-axes; box [w, h] full sizes; annuli see the
	// shape constants; vector [length]. Degrees in sky frames unless SizeInPixels.
	Sizes        []float64
	SizeInPixels bool
	// Angle in degrees (ellipse, box, annuli, vector, composite).
	Angle float64
	// Include is false for excluded regions (leading '-').
	Include bool
	// Source is false for background regions.
	Source     bool
	Text       string
	Color      string
	Width      int
	Font       string // e.g. "helvetica 10 normal roman"
	Dash       bool
	Tags       []string
	PointShape string // circle, box, diamond, cross, x, arrow, boxcircle (point regions)
	PointSize  int
	// Props holds every property as written (key → value), globals merged in.
	Props map[string]string
	// Group is the index (in the returned slice) of the composite region this shape
	// belongs to, or -1.
	Group int
	// LineNo is the 1-based line of the file.
	LineNo int
}

// IsSky reports whether the region is in a celestial frame.
func (r *Region) IsSky() bool {
	return r.Frame != FrameImage && r.Frame != FramePhysical
}

// Warning is a problem found on one line (unsupported shape, bad syntax); the line's
// shape is not in the result.
type Warning struct {
	Line int
	Msg  string
}

// String formats the warning as "line N: message".
func (w Warning) String() string { return fmt.Sprintf("line %d: %s", w.Line, w.Msg) }

// WarningsError is returned by ParseDS9 together with the regions that could be parsed
// when some lines could not be (unsupported shapes, syntax errors).
type WarningsError struct{ Warnings []Warning }

// Error lists the first warnings.
func (e *WarningsError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "ds9 regions: %d line(s) not parsed", len(e.Warnings))
	for i, w := range e.Warnings {
		if i == 10 {
			fmt.Fprintf(&sb, "; …")
			break
		}
		sb.WriteString("; ")
		sb.WriteString(w.String())
	}
	return sb.String()
}

// ParseDS9 parses a DS9 region file. It returns every shape it understood; when some
// lines could not be used (unsupported shapes such as panda, epanda, bpanda, ruler,
// compass, projection, or syntax errors) it also returns a *WarningsError listing them
// with their line numbers. Nothing is dropped silently.
func ParseDS9(text string) ([]Region, error) {
	regs, warns := ParseDS9Warnings(text)
	if len(warns) > 0 {
		return regs, &WarningsError{Warnings: warns}
	}
	return regs, nil
}

// maxRegions bounds the number of shapes (and annulus rings) produced.
const maxRegions = 1 << 20

type parser struct {
	frame   string
	equinox string
	global  map[string]string
	regions []Region
	warns   []Warning
	group   int // index of the open composite, -1
	inComp  bool
}

// ParseDS9Warnings is ParseDS9 returning the problems as a list instead of an error.
func ParseDS9Warnings(text string) ([]Region, []Warning) {
	p := &parser{frame: FramePhysical, global: map[string]string{}, group: -1}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, ln := range lines {
		if len(p.regions) >= maxRegions {
			p.warn(i+1, "too many regions; rest of file ignored")
			break
		}
		p.line(i+1, ln)
	}
	return p.regions, p.warns
}

func (p *parser) warn(line int, format string, args ...any) {
	if len(p.warns) < 10000 {
		p.warns = append(p.warns, Warning{line, fmt.Sprintf(format, args...)})
	}
}

var frameNames = map[string]string{
	"icrs": FrameICRS, "fk5": FrameFK5, "j2000": FrameFK5, "fk4": FrameFK4, "b1950": FrameFK4,
	"galactic": FrameGalactic, "ecliptic": FrameEcliptic, "image": FrameImage, "physical": FramePhysical,
}

var unsupportedFrames = map[string]bool{"linear": true, "amplifier": true, "detector": true}

var shapeNames = map[string]bool{
	"circle": true, "ellipse": true, "box": true, "polygon": true, "line": true, "point": true,
	"text": true, "annulus": true, "vector": true, "composite": true, "rotbox": true,
}

var unsupportedShapes = map[string]bool{
	"panda": true, "epanda": true, "bpanda": true, "ruler": true, "compass": true, "projection": true,
	"segment": true, "tile": true,
}

var pointShapes = map[string]bool{"circle": true, "box": true, "diamond": true, "cross": true, "x": true, "arrow": true, "boxcircle": true}

// splitTop splits s on sep outside quotes, braces and parentheses.
func splitTop(s string, sep byte) []string {
	var out []string
	depthP, depthB := 0, 0
	var q byte
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case (c == '"' || c == '\'') && quoteStart(s, i):
			q = c
		case c == '{':
			depthB++
		case c == '}':
			if depthB > 0 {
				depthB--
			}
		case c == '(':
			depthP++
		case c == ')':
			if depthP > 0 {
				depthP--
			}
		case c == sep && depthP == 0 && depthB == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// indexTop returns the index of the first sep outside quotes/braces/parentheses, or -1.
func indexTop(s string, sep byte) int {
	parts := splitTop(s, sep)
	if len(parts) == 1 {
		return -1
	}
	return len(parts[0])
}

func (p *parser) line(no int, ln string) {
	s := strings.TrimSpace(ln)
	if s == "" {
		return
	}
	if s[0] == '#' {
		body := strings.TrimSpace(s[1:])
		name := leadingWord(body)
		if name == "text" || name == "vector" {
			p.statement(no, body)
			return
		}
		if unsupportedShapes[name] && strings.HasPrefix(body[len(name):], "(") {
			p.warn(no, "unsupported shape %q (DS9 comment-region) ignored", name)
			return
		}
		if name == "composite" && strings.HasPrefix(body[len(name):], "(") {
			p.warn(no, "commented-out composite ignored (its members are read as separate shapes)")
			return
		}
		return // plain comment
	}
	for _, st := range splitStatements(s) {
		p.statement(no, st)
	}
}

// splitStatements splits a line on ';' outside quotes/braces/parentheses, but not inside
// the property part (after a top-level '#').
func splitStatements(s string) []string {
	h := indexTop(s, '#')
	head, tail := s, ""
	if h >= 0 {
		head, tail = s[:h], s[h:]
	}
	parts := splitTop(head, ';')
	parts[len(parts)-1] += tail
	var out []string
	for _, x := range parts {
		if strings.TrimSpace(x) != "" {
			out = append(out, strings.TrimSpace(x))
		}
	}
	return out
}

func leadingWord(s string) string {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9' || s[i] == '_') {
		i++
	}
	return strings.ToLower(s[:i])
}

// statement parses one shape, frame or global statement.
func (p *parser) statement(no int, st string) {
	// properties
	props := ""
	if h := indexTop(st, '#'); h >= 0 {
		props = st[h+1:]
		st = strings.TrimSpace(st[:h])
	}
	lw := leadingWord(st)
	if lw == "global" {
		for k, v := range parseProps(st[len("global"):]).kv {
			p.global[k] = v
		}
		return
	}
	if strings.HasPrefix(strings.ToLower(st), "# region file format") {
		return
	}
	if f, ok := frameNames[lw]; ok && strings.TrimSpace(st[len(lw):]) == "" {
		p.frame = f
		p.equinox = ""
		switch f {
		case FrameFK5:
			p.equinox = "J2000"
		case FrameFK4:
			p.equinox = "B1950"
		}
		return
	}
	if (lw == "wcs" || (len(lw) == 4 && strings.HasPrefix(lw, "wcs"))) && strings.TrimSpace(st[len(lw):]) == "" {
		// "wcs", "wcsa"…: the image's celestial system, fk5 J2000 in DS9 by default
		p.frame, p.equinox = FrameFK5, "J2000"
		return
	}
	if unsupportedFrames[lw] && strings.TrimSpace(st[len(lw):]) == "" {
		p.warn(no, "unsupported coordinate system %q; following shapes keep the previous frame", lw)
		return
	}
	if lw == "tile" || lw == "version" {
		return
	}
	include := true
	body := st
	if strings.HasPrefix(body, "-") {
		include = false
		body = strings.TrimSpace(body[1:])
	} else if strings.HasPrefix(body, "+") {
		body = strings.TrimSpace(body[1:])
	}
	// composite continuation marker
	cont := false
	if strings.HasSuffix(body, "||") {
		cont = true
		body = strings.TrimSpace(strings.TrimSuffix(body, "||"))
	}
	name := leadingWord(body)
	rest := strings.TrimSpace(body[len(name):])
	// old-style "circle point(x,y)"
	pointShape := ""
	if pointShapes[name] && strings.HasPrefix(rest, "point") {
		pointShape = name
		name = "point"
		rest = strings.TrimSpace(rest[len("point"):])
	}
	if unsupportedShapes[name] {
		p.warn(no, "unsupported shape %q ignored", name)
		return
	}
	if !shapeNames[name] {
		p.warn(no, "unknown shape or frame %q: %q", name, trunc(st, 60))
		return
	}
	if !strings.HasPrefix(rest, "(") {
		p.warn(no, "%s: expected '(' after the shape name", name)
		return
	}
	close := indexClose(rest)
	if close < 0 {
		p.warn(no, "%s: missing ')'", name)
		return
	}
	argstr := rest[1:close]
	after := strings.TrimSpace(rest[close+1:])
	if strings.HasPrefix(after, "||") {
		cont = true
		after = strings.TrimSpace(after[2:])
	}
	if after != "" {
		// text between ')' and '#': treat as properties (DS9 accepts both)
		props = after + " " + props
	}
	pr := parseProps(props)
	r := Region{Shape: name, Frame: p.frame, Equinox: p.equinox, Include: include, Source: true, Group: -1, LineNo: no,
		Props: map[string]string{}}
	for k, v := range p.global {
		r.Props[k] = v
	}
	for k, v := range pr.kv {
		r.Props[k] = v
	}
	r.Tags = pr.tags
	if err := p.shape(&r, argstr, pointShape); err != nil {
		p.warn(no, "%s: %v", name, err)
		return
	}
	p.applyProps(&r, pr)
	if p.inComp && r.Shape != Composite {
		r.Group = p.group
	}
	if r.Shape == Composite {
		p.group = len(p.regions)
		p.inComp = true
		p.regions = append(p.regions, r)
		return
	}
	p.regions = append(p.regions, r)
	if p.inComp && !cont {
		p.inComp = false
		p.group = -1
	}
}

// quoteStart reports whether the quote at s[i] opens a quoted string: it must start a
// token (a quote right after a number is an arcsec/arcmin unit).
func quoteStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	switch s[i-1] {
	case ' ', '\t', ',', '(', '=', '{':
		return true
	}
	return false
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func indexClose(s string) int {
	depth := 0
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case (c == '"' || c == '\'') && quoteStart(s, i):
			q = c
		case c == '{':
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				return -1
			}
			i += j
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

type propSet struct {
	kv   map[string]string
	tags []string
	bare []string
}

// parseProps parses "key=value" properties; values may be {…}, "…", '…' or bare words,
// and a few keys take two values (dashlist, line, point with size, ruler, compass).
func parseProps(s string) propSet {
	ps := propSet{kv: map[string]string{}}
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		ks := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' && s[i] != '\t' {
			i++
		}
		key := strings.ToLower(s[ks:i])
		if i >= len(s) || s[i] != '=' {
			ps.bare = append(ps.bare, key)
			continue
		}
		i++
		val := ""
		if i < len(s) {
			switch s[i] {
			case '{':
				j := strings.IndexByte(s[i:], '}')
				if j < 0 {
					val, i = s[i+1:], len(s)
				} else {
					val, i = s[i+1:i+j], i+j+1
				}
			case '"', '\'':
				j := strings.IndexByte(s[i+1:], s[i])
				if j < 0 {
					val, i = s[i+1:], len(s)
				} else {
					val, i = s[i+1:i+1+j], i+j+2
				}
			default:
				vs := i
				for i < len(s) && s[i] != ' ' && s[i] != '\t' {
					i++
				}
				val = s[vs:i]
			}
		}
		// second value for some keys
		switch key {
		case "dashlist", "line", "point", "ruler", "compass", "textangle_", "vector":
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			k := j
			for k < len(s) && s[k] != ' ' && s[k] != '\t' && s[k] != '=' {
				k++
			}
			if k > j && (k >= len(s) || s[k] != '=') {
				w := s[j:k]
				if _, err := strconv.ParseFloat(w, 64); err == nil || (key == "ruler") {
					val += " " + w
					i = k
				}
			}
		}
		if key == "tag" {
			ps.tags = append(ps.tags, val)
		}
		ps.kv[key] = val
	}
	return ps
}

func (p *parser) applyProps(r *Region, pr propSet) {
	get := func(k string) (string, bool) {
		v, ok := r.Props[k]
		return v, ok
	}
	if v, ok := get("color"); ok {
		r.Color = v
	} else {
		r.Color = "green"
	}
	r.Width = 1
	if v, ok := get("width"); ok {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			r.Width = n
		}
	}
	if v, ok := get("font"); ok {
		r.Font = v
	} else {
		r.Font = "helvetica 10 normal roman"
	}
	if v, ok := get("dash"); ok {
		r.Dash = v == "1"
	}
	if v, ok := pr.kv["text"]; ok {
		r.Text = v
	} else if r.Text == "" {
		if v, ok := p.global["text"]; ok {
			r.Text = v
		}
	}
	if v, ok := get("include"); ok && v == "0" {
		r.Include = false
	}
	if v, ok := get("source"); ok && v == "0" {
		r.Source = false
	}
	for _, b := range pr.bare {
		switch b {
		case "background":
			r.Source = false
		case "source":
			r.Source = true
		}
	}
	if r.Shape == Point {
		if r.PointShape == "" {
			r.PointShape = "boxcircle"
		}
		r.PointSize = 11
		if v, ok := get("point"); ok {
			f := strings.Fields(v)
			if len(f) > 0 && pointShapes[strings.ToLower(f[0])] {
				r.PointShape = strings.ToLower(f[0])
			}
			if len(f) > 1 {
				if n, err := strconv.Atoi(f[1]); err == nil && n > 0 {
					r.PointSize = n
				}
			}
		}
	}
}

// args splits the argument list on commas and blanks (text arguments in {…} or quotes
// are kept whole).
func args(s string) []string {
	var out []string
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			break
		}
		switch s[i] {
		case '{':
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				j = len(s) - i - 1
			}
			out = append(out, s[i:i+j+1])
			i += j + 1
		case '"', '\'':
			j := strings.IndexByte(s[i+1:], s[i])
			if j < 0 {
				out = append(out, s[i:])
				i = len(s)
				continue
			}
			out = append(out, s[i:i+j+2])
			i += j + 2
		default:
			st := i
			for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != ',' {
				i++
			}
			out = append(out, s[st:i])
		}
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '{' && s[len(s)-1] == '}' || (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0]) {
		return s[1 : len(s)-1]
	}
	return s
}

func (p *parser) shape(r *Region, argstr, pointShape string) error {
	a := args(argstr)
	sky := r.IsSky()
	coord := func(i int) ([2]float64, error) {
		if i+1 >= len(a) {
			return [2]float64{}, errors.New("missing coordinates")
		}
		lon, lat, err := parseCoord(r.Frame, a[i], a[i+1])
		return [2]float64{lon, lat}, err
	}
	size := func(i int) (float64, error) {
		if i >= len(a) {
			return 0, errors.New("missing size")
		}
		v, pix, err := parseSize(a[i], sky)
		if err != nil {
			return 0, err
		}
		if pix && sky {
			r.SizeInPixels = true
		}
		return v, nil
	}
	angle := func(i int) (float64, error) {
		if i >= len(a) {
			return 0, nil
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(a[i], "d"), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("bad angle %q", a[i])
		}
		return v, nil
	}
	need := func(n int) error {
		if len(a) < n {
			return fmt.Errorf("%d arguments, need at least %d", len(a), n)
		}
		return nil
	}
	var err error
	var c [2]float64
	switch r.Shape {
	case Circle, Point, Text, Composite:
		if err = need(2); err != nil {
			return err
		}
		if c, err = coord(0); err != nil {
			return err
		}
		r.Points = [][2]float64{c}
		switch r.Shape {
		case Circle:
			if err = need(3); err != nil {
				return err
			}
			v, err := size(2)
			if err != nil {
				return err
			}
			r.Sizes = []float64{v}
		case Point:
			r.PointShape = pointShape
		case Text:
			if len(a) > 2 {
				r.Text = unquote(a[2])
			}
		case Composite:
			if r.Angle, err = angle(2); err != nil {
				return err
			}
		}
	case Ellipse, Box, "rotbox":
		if r.Shape == "rotbox" {
			r.Shape = Box
		}
		if err = need(4); err != nil {
			return err
		}
		if c, err = coord(0); err != nil {
			return err
		}
		r.Points = [][2]float64{c}
		nsz := len(a) - 2
		if nsz%2 == 1 { // trailing angle
			nsz--
			if r.Angle, err = angle(len(a) - 1); err != nil {
				return err
			}
		}
		if nsz > 2*maxRegions {
			return errors.New("too many radii")
		}
		for i := 0; i < nsz; i++ {
			v, err := size(2 + i)
			if err != nil {
				return err
			}
			r.Sizes = append(r.Sizes, v)
		}
		if nsz > 2 {
			if r.Shape == Ellipse {
				r.Shape = EllipseAnnulus
			} else {
				r.Shape = BoxAnnulus
			}
		}
	case Annulus:
		if err = need(4); err != nil {
			return err
		}
		if c, err = coord(0); err != nil {
			return err
		}
		r.Points = [][2]float64{c}
		for i := 2; i < len(a); i++ {
			v, err := size(i)
			if err != nil {
				return err
			}
			r.Sizes = append(r.Sizes, v)
		}
	case Polygon:
		if len(a) < 6 || len(a)%2 != 0 {
			return fmt.Errorf("polygon needs an even number (≥ 6) of coordinates, got %d", len(a))
		}
		for i := 0; i < len(a); i += 2 {
			if c, err = coord(i); err != nil {
				return err
			}
			r.Points = append(r.Points, c)
		}
	case Line:
		if err = need(4); err != nil {
			return err
		}
		for i := 0; i < 4; i += 2 {
			if c, err = coord(i); err != nil {
				return err
			}
			r.Points = append(r.Points, c)
		}
	case Vector:
		if err = need(4); err != nil {
			return err
		}
		if c, err = coord(0); err != nil {
			return err
		}
		r.Points = [][2]float64{c}
		v, err := size(2)
		if err != nil {
			return err
		}
		r.Sizes = []float64{v}
		if r.Angle, err = angle(3); err != nil {
			return err
		}
	}
	return nil
}

// parseSize parses a size with an optional unit suffix: " (arcsec), ' (arcmin), d (deg),
// r (radians), i or p (pixels). Without a suffix sizes are degrees in sky frames and
// pixels in image/physical frames. It returns degrees (or pixels) and whether pixels.
func parseSize(s string, sky bool) (float64, bool, error) {
	if s == "" {
		return 0, false, errors.New("empty size")
	}
	unit := s[len(s)-1]
	num := s
	switch unit {
	case '"', '\'', 'd', 'r', 'i', 'p':
		num = s[:len(s)-1]
	default:
		unit = 0
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, fmt.Errorf("bad size %q", s)
	}
	switch unit {
	case '"':
		return v / 3600, false, nil
	case '\'':
		return v / 60, false, nil
	case 'd':
		return v, false, nil
	case 'r':
		return v * 180 / math.Pi, false, nil
	case 'i', 'p':
		return v, true, nil
	}
	return v, !sky, nil
}
