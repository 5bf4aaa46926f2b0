package hips

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPropertiesSize is the largest properties file ParseProperties accepts.
// Real files are a few kilobytes; a HiPS list of a whole node can be a few MB.
const MaxPropertiesSize = 16 << 20

// Entry is one "keyword = value" line of a properties file.
type Entry struct {
	Key   string // keyword, as written (keywords are case sensitive)
	Value string // value with surrounding blanks removed
	Line  int    // 1-based line number in the file
}

// Properties is a parsed HiPS properties file. Entries keeps every keyword in
// file order, including unknown and repeated ones; comment lines are kept in
// Comments so that a file can be written back.
type Properties struct {
	Entries  []Entry
	Comments []Entry // comment lines: Key is empty, Value is the text after '#'
	// Latin1Lines lists the lines that were not valid UTF-8 and were read
	// as ISO-8859-1.
	Latin1Lines []int
	index       map[string][]int
}

// PropertiesError reports a malformed line of a properties file.
type PropertiesError struct {
	Line int    // 1-based line number
	Key  string // keyword, when known
	Msg  string
}

// Error names the line (and keyword) at fault.
func (e *PropertiesError) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("hips properties: line %d: keyword %q: %s", e.Line, e.Key, e.Msg)
	}
	return fmt.Sprintf("hips properties: line %d: %s", e.Line, e.Msg)
}

// ParseProperties reads a HiPS properties file (HiPS 1.0 §4.4.1): UTF-8, one
// "keyword = value" per line, LF or CRLF line ends, lines whose first
// non-blank character is '#' are comments, blank lines are ignored. Keywords
// may not contain '=' or blanks; blanks around '=' are ignored. The Java
// properties escapes "\:", "\=", "\#" and "\!" (written by some old tools,
// e.g. "http\://") are unescaped; other backslashes are kept as they are.
// A line that is not valid UTF-8 is read as ISO-8859-1 (as older tools
// wrote) and listed in Latin1Lines. A line without '=', an empty keyword, a
// keyword with blanks or a control character (a binary file) gives a
// *PropertiesError naming the line.
func ParseProperties(r io.Reader) (*Properties, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPropertiesSize+1))
	if err != nil {
		return nil, fmt.Errorf("hips properties: read: %w", err)
	}
	if len(data) > MaxPropertiesSize {
		return nil, fmt.Errorf("hips properties: file larger than %d bytes", MaxPropertiesSize)
	}
	// A UTF-8 byte order mark is tolerated.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &Properties{index: map[string][]int{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxPropertiesSize+1)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if !utf8.ValidString(text) {
			// Older HiPS wrote ISO-8859-1 (e.g. "Universit\xe9"): read such
			// a line as Latin-1 rather than refusing the whole file.
			text = latin1(text)
			p.Latin1Lines = append(p.Latin1Lines, line)
		}
		for _, c := range text {
			if c != '\t' && unicode.IsControl(c) {
				return nil, &PropertiesError{Line: line, Msg: fmt.Sprintf("control character %U", c)}
			}
		}
		trimmed := strings.TrimSpace(text)
		if trimmed == "" {
			continue
		}
		if trimmed[0] == '#' || trimmed[0] == '!' {
			p.Comments = append(p.Comments, Entry{Value: strings.TrimSpace(trimmed[1:]), Line: line})
			continue
		}
		eq := strings.IndexByte(trimmed, '=')
		if eq < 0 {
			return nil, &PropertiesError{Line: line, Msg: fmt.Sprintf("expected \"keyword = value\", got %q", clip(trimmed, 60))}
		}
		key := strings.TrimSpace(trimmed[:eq])
		if key == "" {
			return nil, &PropertiesError{Line: line, Msg: "empty keyword before '='"}
		}
		if strings.IndexFunc(key, unicode.IsSpace) >= 0 {
			return nil, &PropertiesError{Line: line, Key: key, Msg: "keyword contains blanks"}
		}
		val := unescapeValue(strings.TrimSpace(trimmed[eq+1:]))
		p.add(Entry{Key: key, Value: val, Line: line})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("hips properties: line %d: %w", line+1, err)
	}
	return p, nil
}

// latin1 decodes ISO-8859-1 bytes.
func latin1(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

func unescapeValue(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	r := strings.NewReplacer(`\:`, ":", `\=`, "=", `\#`, "#", `\!`, "!")
	return r.Replace(v)
}

func (p *Properties) add(e Entry) {
	if p.index == nil {
		p.index = map[string][]int{}
	}
	p.index[e.Key] = append(p.index[e.Key], len(p.Entries))
	p.Entries = append(p.Entries, e)
}

// Set replaces the value of key (all its occurrences collapse into the first)
// or appends it at the end.
func (p *Properties) Set(key, value string) {
	if p.index == nil {
		p.reindex()
	}
	if idx, ok := p.index[key]; ok {
		first := idx[0]
		p.Entries[first].Value = value
		if len(idx) > 1 {
			out := p.Entries[:0]
			for i, e := range p.Entries {
				if e.Key != key || i == first {
					out = append(out, e)
				}
			}
			p.Entries = out
			p.reindex()
		}
		return
	}
	p.add(Entry{Key: key, Value: value})
}

func (p *Properties) reindex() {
	p.index = map[string][]int{}
	for i, e := range p.Entries {
		p.index[e.Key] = append(p.index[e.Key], i)
	}
}

// Get returns the value of the first occurrence of key.
func (p *Properties) Get(key string) (string, bool) {
	if p == nil {
		return "", false
	}
	if p.index == nil {
		p.reindex()
	}
	idx, ok := p.index[key]
	if !ok {
		return "", false
	}
	return p.Entries[idx[0]].Value, true
}

// String returns the value of key, or "" when it is absent.
func (p *Properties) String(key string) string {
	v, _ := p.Get(key)
	return v
}

// All returns every value of a repeatable keyword (prov_progenitor,
// bib_reference, obs_regime, ...) in file order.
func (p *Properties) All(key string) []string {
	if p == nil {
		return nil
	}
	if p.index == nil {
		p.reindex()
	}
	var out []string
	for _, i := range p.index[key] {
		out = append(out, p.Entries[i].Value)
	}
	return out
}

// Keys returns the distinct keywords in the order they first appear.
func (p *Properties) Keys() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range p.Entries {
		if !seen[e.Key] {
			seen[e.Key] = true
			out = append(out, e.Key)
		}
	}
	return out
}

// WriteTo writes the properties back as "keyword = value" lines (comments are
// not written).
func (p *Properties) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, e := range p.Entries {
		k, err := fmt.Fprintf(w, "%-20s = %s\n", e.Key, e.Value)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// lookup finds the first present keyword among keys (the standard one first,
// then legacy aliases) and returns its entry.
func (p *Properties) lookup(keys ...string) (Entry, bool) {
	if p == nil {
		return Entry{}, false
	}
	if p.index == nil {
		p.reindex()
	}
	for _, k := range keys {
		if idx, ok := p.index[k]; ok {
			return p.Entries[idx[0]], true
		}
	}
	return Entry{}, false
}

func (p *Properties) valueError(e Entry, msg string) error {
	return &PropertiesError{Line: e.Line, Key: e.Key, Msg: msg}
}

// intValue parses an integer keyword within [lo, hi].
func (p *Properties) intValue(lo, hi int, keys ...string) (int, bool, error) {
	e, ok := p.lookup(keys...)
	if !ok {
		return 0, false, nil
	}
	v, err := strconv.Atoi(strings.TrimPrefix(e.Value, "+"))
	if err != nil {
		return 0, true, p.valueError(e, fmt.Sprintf("value %q is not an integer", clip(e.Value, 40)))
	}
	if v < lo || v > hi {
		return 0, true, p.valueError(e, fmt.Sprintf("value %d out of range [%d, %d]", v, lo, hi))
	}
	return v, true, nil
}

func parseFloatField(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Some writers use a comma as decimal separator.
		v2, err2 := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err2 != nil {
			return 0, err
		}
		v = v2
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("not finite")
	}
	return v, nil
}

func (p *Properties) floatValue(keys ...string) (float64, bool, error) {
	e, ok := p.lookup(keys...)
	if !ok {
		return 0, false, nil
	}
	v, err := parseFloatField(e.Value)
	if err != nil {
		return 0, true, p.valueError(e, fmt.Sprintf("value %q is not a finite number", clip(e.Value, 40)))
	}
	return v, true, nil
}

// MaxOrder is the deepest tile order Skyglass accepts (HEALPix order 29 minus
// the 512-pixel tile shift; deeper tiles could not address their pixels).
const MaxOrder = 29

// Order returns hips_order, the deepest tile order (legacy "maxOrder" accepted).
// It is mandatory: a missing keyword is an error.
func (p *Properties) Order() (int, error) {
	v, ok, err := p.intValue(0, MaxOrder, "hips_order", "maxOrder")
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errors.New("hips properties: hips_order missing")
	}
	return v, nil
}

// OrderMin returns hips_order_min (default 0), the shallowest order with tiles.
// It is an error if it exceeds hips_order.
func (p *Properties) OrderMin() (int, error) {
	v, _, err := p.intValue(0, MaxOrder, "hips_order_min", "minOrder")
	if err != nil {
		return 0, err
	}
	if maxo, err := p.Order(); err == nil && v > maxo {
		e, _ := p.lookup("hips_order_min", "minOrder")
		return 0, p.valueError(e, fmt.Sprintf("%d is deeper than hips_order %d", v, maxo))
	}
	return v, nil
}

// TileWidth returns hips_tile_width (default 512; legacy "tileWidth"). It must be
// a power of two no larger than MaxTileWidth (which bounds allocations).
func (p *Properties) TileWidth() (int, error) {
	v, ok, err := p.intValue(1, MaxTileWidth, "hips_tile_width", "tileWidth")
	if err != nil {
		return 0, err
	}
	if !ok {
		return 512, nil
	}
	if v&(v-1) != 0 {
		e, _ := p.lookup("hips_tile_width", "tileWidth")
		return 0, p.valueError(e, fmt.Sprintf("%d is not a power of two", v))
	}
	return v, nil
}

// MaxTileWidth bounds hips_tile_width (and the size of any decoded tile).
const MaxTileWidth = 4096

// Formats returns hips_tile_format as a list (legacy "format"), in the order
// written: the first is the one the HiPS suggests. Words are lower-cased;
// "jpg" is read as jpeg. Unknown words are kept as Format values so a caller
// can report them. With no keyword the default is jpeg (HiPS 1.0).
func (p *Properties) Formats() []Format {
	e, ok := p.lookup("hips_tile_format", "format")
	if !ok {
		return []Format{FormatJPEG}
	}
	var out []Format
	for _, w := range strings.FieldsFunc(e.Value, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' }) {
		f := Format(strings.ToLower(w))
		if f == "jpg" {
			f = FormatJPEG
		}
		dup := false
		for _, g := range out {
			if g == f {
				dup = true
			}
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}

// HasFormat says whether hips_tile_format lists f.
func (p *Properties) HasFormat(f Format) bool {
	for _, g := range p.Formats() {
		if g == f {
			return true
		}
	}
	return false
}

// Frame returns hips_frame (default equatorial; legacy "coordsys" C/G/E).
func (p *Properties) Frame() (Frame, error) {
	e, ok := p.lookup("hips_frame", "coordsys")
	if !ok {
		return Equatorial, nil
	}
	f, err := ParseFrame(e.Value)
	if err != nil {
		return 0, p.valueError(e, err.Error())
	}
	return f, nil
}

// pair parses a "min max" keyword; extra words after the two numbers (such as
// the stretch name Hipsgen accepts in hips_pixel_cut) are returned in rest.
func (p *Properties) pair(keys ...string) (lo, hi float64, rest string, ok bool, err error) {
	e, found := p.lookup(keys...)
	if !found {
		return 0, 0, "", false, nil
	}
	f := strings.Fields(e.Value)
	if len(f) < 2 {
		return 0, 0, "", true, p.valueError(e, fmt.Sprintf("expected \"min max\", got %q", clip(e.Value, 40)))
	}
	lo, err1 := parseFloatField(f[0])
	hi, err2 := parseFloatField(f[1])
	if err1 != nil || err2 != nil {
		return 0, 0, "", true, p.valueError(e, fmt.Sprintf("expected two finite numbers, got %q", clip(e.Value, 40)))
	}
	return lo, hi, strings.Join(f[2:], " "), true, nil
}

// PixelCut returns hips_pixel_cut (legacy "pixelCut"): the suggested display
// range in physical values, and the stretch word Hipsgen may append ("" if none).
func (p *Properties) PixelCut() (lo, hi float64, stretch string, ok bool, err error) {
	return p.pair("hips_pixel_cut", "pixelCut")
}

// DataRange returns hips_data_range (HiPS 1.5 hips_data_minmax; legacy
// "pixelRange"): the range of pixel values the tiles hold.
func (p *Properties) DataRange() (lo, hi float64, ok bool, err error) {
	lo, hi, _, ok, err = p.pair("hips_data_range", "hips_data_minmax", "pixelRange")
	return
}

// Bitpix returns hips_pixel_bitpix, the BITPIX of the FITS tiles (8, 16, 32,
// 64, -32 or -64).
func (p *Properties) Bitpix() (int, bool, error) {
	v, ok, err := p.intValue(-64, 64, "hips_pixel_bitpix", "bitpix")
	if err != nil || !ok {
		return 0, ok, err
	}
	switch v {
	case 8, 16, 32, 64, -32, -64:
		return v, true, nil
	}
	e, _ := p.lookup("hips_pixel_bitpix", "bitpix")
	return 0, true, p.valueError(e, fmt.Sprintf("%d is not a FITS BITPIX", v))
}

// CubeDepth returns hips_cube_depth (default 1, legacy "cubeDepth"): the number
// of frames of a HiPS 1.0 cube.
func (p *Properties) CubeDepth() (int, error) {
	v, ok, err := p.intValue(1, 1<<20, "hips_cube_depth", "cubeDepth")
	if err != nil {
		return 0, err
	}
	if !ok {
		return 1, nil
	}
	return v, nil
}

// CubeFirstFrame returns hips_cube_firstframe (default 0, legacy
// "cubeFirstFrame"): the frame to show first.
func (p *Properties) CubeFirstFrame() (int, error) {
	v, _, err := p.intValue(0, 1<<20, "hips_cube_firstframe", "cubeFirstFrame")
	if err != nil {
		return 0, err
	}
	if d, err := p.CubeDepth(); err == nil && v >= d {
		e, _ := p.lookup("hips_cube_firstframe", "cubeFirstFrame")
		return 0, p.valueError(e, fmt.Sprintf("frame %d outside a cube of depth %d", v, d))
	}
	return v, nil
}

// IsCube says whether the HiPS is a HiPS 1.0 cube (depth > 1).
func (p *Properties) IsCube() bool {
	d, err := p.CubeDepth()
	return err == nil && d > 1
}

// IsColor says whether the tiles are colour images (dataproduct_subtype =
// color, or legacy isColor = true).
func (p *Properties) IsColor() bool {
	if strings.EqualFold(p.String("dataproduct_subtype"), "color") {
		return true
	}
	return strings.EqualFold(p.String("isColor"), "true")
}

// InitialView returns hips_initial_ra, hips_initial_dec (ICRS, degrees) and
// hips_initial_fov (degrees). ok is false unless both ra and dec are given; fov
// is 0 when absent.
func (p *Properties) InitialView() (ra, dec, fov float64, ok bool, err error) {
	ra, okRA, err := p.floatValue("hips_initial_ra")
	if err != nil {
		return 0, 0, 0, false, err
	}
	dec, okDec, err := p.floatValue("hips_initial_dec")
	if err != nil {
		return 0, 0, 0, false, err
	}
	fov, _, err = p.floatValue("hips_initial_fov")
	if err != nil {
		return 0, 0, 0, false, err
	}
	if okDec && (dec < -90 || dec > 90) {
		e, _ := p.lookup("hips_initial_dec")
		return 0, 0, 0, false, p.valueError(e, "declination outside [-90, 90]")
	}
	if fov < 0 {
		e, _ := p.lookup("hips_initial_fov")
		return 0, 0, 0, false, p.valueError(e, "negative field of view")
	}
	if ra < 0 || ra >= 360 {
		ra = math.Mod(ra, 360)
		if ra < 0 {
			ra += 360
		}
	}
	return ra, dec, fov, okRA && okDec, nil
}

// PixelScale returns hips_pixel_scale in degrees (the tile pixel size at
// hips_order), 0 when absent.
func (p *Properties) PixelScale() (float64, error) {
	v, _, err := p.floatValue("hips_pixel_scale")
	return v, err
}

// CreatorDID returns creator_did (legacy publisher_did, ivorn).
func (p *Properties) CreatorDID() string {
	e, _ := p.lookup("creator_did", "publisher_did", "ivorn")
	return e.Value
}

// Title returns obs_title (legacy "label").
func (p *Properties) Title() string {
	e, _ := p.lookup("obs_title", "label")
	return e.Value
}

// Credits returns the copyright and acknowledgement lines a viewer must show
// with the HiPS: obs_copyright, hips_copyright, obs_ack (each repeated value),
// with their URLs appended in parentheses when given.
func (p *Properties) Credits() []string {
	var out []string
	add := func(key, urlKey string) {
		url := p.String(urlKey)
		for _, v := range p.All(key) {
			if v == "" {
				continue
			}
			if url != "" {
				v += " (" + url + ")"
			}
			out = append(out, v)
		}
	}
	add("obs_copyright", "obs_copyright_url")
	add("hips_copyright", "")
	add("obs_ack", "")
	return out
}

// MandatoryKeywords returns the HiPS 1.0 keywords a conforming properties file
// must have (§4.4.1).
func MandatoryKeywords() []string {
	return []string{"creator_did", "obs_title", "dataproduct_type", "hips_version",
		"hips_release_date", "hips_status", "hips_tile_format", "hips_order", "hips_frame"}
}

// Validate checks the mandatory keywords (missing ones are reported together)
// and the syntax of every typed keyword Skyglass uses. A viewer can still use
// a HiPS that fails only the mandatory-keyword check; Validate is for tools.
func (p *Properties) Validate() error {
	var errs []error
	for _, k := range MandatoryKeywords() {
		legacy := map[string]string{"hips_order": "maxOrder", "hips_frame": "coordsys", "hips_tile_format": "format", "creator_did": "publisher_did", "obs_title": "label"}[k]
		if _, ok := p.lookup(k, legacy); !ok {
			errs = append(errs, fmt.Errorf("hips properties: mandatory keyword %s missing", k))
		}
	}
	if err := p.CheckTyped(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// CheckTyped parses every typed keyword and returns the first error: what a
// viewer needs to be sure of before fetching tiles.
func (p *Properties) CheckTyped() error {
	if _, err := p.Order(); err != nil {
		return err
	}
	if _, err := p.OrderMin(); err != nil {
		return err
	}
	if _, err := p.TileWidth(); err != nil {
		return err
	}
	if _, err := p.Frame(); err != nil {
		return err
	}
	if _, _, _, _, err := p.PixelCut(); err != nil {
		return err
	}
	if _, _, _, err := p.DataRange(); err != nil {
		return err
	}
	if _, _, err := p.Bitpix(); err != nil {
		return err
	}
	if _, err := p.CubeFirstFrame(); err != nil {
		return err
	}
	if _, _, _, _, err := p.InitialView(); err != nil {
		return err
	}
	if _, err := p.PixelScale(); err != nil {
		return err
	}
	for _, f := range p.Formats() {
		if !f.Known() {
			e, _ := p.lookup("hips_tile_format", "format")
			return p.valueError(e, fmt.Sprintf("unknown tile format %q", string(f)))
		}
	}
	return nil
}
