package fits

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Compression describes a tile-compressed image (FITS standard 4.0, section 10).
type Compression struct {
	Type      string `json:"zcmptype"`  // ZCMPTYPE as written (e.g. "RICE_1", "RICE_ONE")
	Algorithm string `json:"algorithm"` // normalised: RICE_1, GZIP_1, GZIP_2, HCOMPRESS_1, PLIO_1 or NOCOMPRESS
	Tile      []int  `json:"ztile"`     // ZTILEn (defaults: ZTILE1 = ZNAXIS1, others 1)
	// Quantize is ZQUANTIZ: NO_DITHER, SUBTRACTIVE_DITHER_1, SUBTRACTIVE_DITHER_2,
	// NONE (lossless floats), or "" when absent.
	Quantize string `json:"zquantiz"`
	Dither0  int64  `json:"zdither0"` // ZDITHER0 (1 when absent)
	// Quantized is true when floating-point pixels are stored as scaled integers.
	Quantized bool    `json:"quantized"`
	ZBlank    int64   `json:"zblank"` // ZBLANK keyword, meaningful when HasZBlank
	HasZBlank bool    `json:"has_zblank"`
	BlockSize int     `json:"blocksize"`    // RICE_1 BLOCKSIZE (default 32)
	BytePix   int     `json:"bytepix"`      // RICE_1 BYTEPIX (default from ZBITPIX)
	Scale     float64 `json:"hcomp_scale"`  // HCOMPRESS_1 SCALE (0 = lossless for integer images)
	Smooth    bool    `json:"hcomp_smooth"` // HCOMPRESS_1 SMOOTH
	Tiles     int64   `json:"tiles"`        // number of tiles
	Lossy     bool    `json:"lossy"`        // quantized floats, or HCOMPRESS with SCALE > 0
}

// column is a located binary-table column.
type column struct {
	name   string
	off    int64 // byte offset in the row
	code   byte  // TFORM type letter (P/Q for descriptors)
	elem   byte  // element type for P/Q
	repeat int64
}

// tformWidth returns the byte width of one element of a TFORM type letter
// (bits for X are handled by the caller).
func tformWidth(code byte) int64 {
	switch code {
	case 'L', 'B', 'A':
		return 1
	case 'I':
		return 2
	case 'J', 'E':
		return 4
	case 'K', 'D', 'C', 'P':
		return 8
	case 'M', 'Q':
		return 16
	}
	return 0
}

// parseTForm parses a binary-table TFORM: repeat count, type, and for P/Q the
// element type.
func parseTForm(s string) (repeat int64, code, elem byte, err error) {
	s = strings.TrimSpace(strings.ToUpper(s))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	repeat = 1
	if i > 0 {
		repeat, err = strconv.ParseInt(s[:i], 10, 64)
		if err != nil || repeat > 1<<40 {
			return 0, 0, 0, fmt.Errorf("bad repeat count in TFORM %q", s)
		}
	}
	if i >= len(s) {
		return 0, 0, 0, fmt.Errorf("TFORM %q has no type letter", s)
	}
	code = s[i]
	if code == 'P' || code == 'Q' {
		if i+1 >= len(s) {
			return 0, 0, 0, fmt.Errorf("TFORM %q has no element type", s)
		}
		elem = s[i+1]
		if tformWidth(elem) == 0 && elem != 'X' {
			return 0, 0, 0, fmt.Errorf("TFORM %q has unknown element type", s)
		}
		return repeat, code, elem, nil
	}
	if tformWidth(code) == 0 && code != 'X' {
		return 0, 0, 0, fmt.Errorf("TFORM %q has unknown type %q", s, code)
	}
	return repeat, code, 0, nil
}

// tiled is the parsed structure of a tile-compressed HDU.
type tiled struct {
	h      *HDU
	info   ImageInfo
	c      *Compression
	rowLen int64
	nrows  int64
	theap  int64 // heap start, from the start of the data
	heapSz int64 // bytes of heap from theap to the end of the data
	ntile  []int // tiles along each axis

	cdata, gdata, udata *column // COMPRESSED_DATA, GZIP_COMPRESSED_DATA, UNCOMPRESSED_DATA
	zscale, zzero       *column
	zblank              *column
	kScale, kZero       float64 // ZSCALE/ZZERO keywords
	hasKScale           bool
	dither              int // 0 none, 1, 2
}

// tiled parses the compression keywords and the table layout.
func (h *HDU) tiled() (*tiled, error) {
	hd := h.hdr
	f := h.f
	t := &tiled{h: h, rowLen: h.geom.naxis[0], nrows: h.geom.naxis[1]}
	c := &Compression{}
	t.c = c
	zbitpix, ok := hd.Int("ZBITPIX")
	if !ok {
		return nil, f.keyErr(h, "ZBITPIX", "missing or not an integer in a compressed image")
	}
	switch zbitpix {
	case 8, 16, 32, 64, -32, -64:
	default:
		return nil, f.keyErr(h, "ZBITPIX", fmt.Sprintf("illegal value %d", zbitpix))
	}
	znaxis, ok := hd.Int("ZNAXIS")
	if !ok || znaxis < 0 || znaxis > maxAxes {
		return nil, f.keyErr(h, "ZNAXIS", "missing or out of range 0..999")
	}
	in := ImageInfo{Bitpix: int(zbitpix), BScale: 1, Compression: c}
	var npix int64 = 1
	for i := 1; i <= int(znaxis); i++ {
		key := fmt.Sprintf("ZNAXIS%d", i)
		n, ok := hd.Int(key)
		if !ok || n < 0 || n > math.MaxInt32 {
			return nil, f.keyErr(h, key, "missing, not an integer, or out of range")
		}
		in.Axes = append(in.Axes, int(n))
		if npix, ok = mulCheck(npix, n); !ok {
			return nil, f.keyErr(h, key, "image size overflows")
		}
	}
	c.Type, _ = hd.String("ZCMPTYPE")
	switch strings.ToUpper(strings.TrimSpace(c.Type)) {
	case "RICE_1", "RICE_ONE":
		c.Algorithm = "RICE_1"
	case "GZIP_1":
		c.Algorithm = "GZIP_1"
	case "GZIP_2":
		c.Algorithm = "GZIP_2"
	case "HCOMPRESS_1":
		c.Algorithm = "HCOMPRESS_1"
	case "PLIO_1":
		c.Algorithm = "PLIO_1"
	case "NOCOMPRESS":
		c.Algorithm = "NOCOMPRESS"
	default:
		return nil, f.keyErr(h, "ZCMPTYPE", fmt.Sprintf("unknown or missing compression algorithm %q", c.Type))
	}
	// Tiles.
	t.ntile = make([]int, len(in.Axes))
	c.Tiles = 1
	for i := range in.Axes {
		key := fmt.Sprintf("ZTILE%d", i+1)
		def := int64(1)
		if i == 0 {
			def = int64(in.Axes[0])
		}
		n, ok := hd.Int(key)
		if !ok {
			if hd.Has(key) {
				return nil, f.keyErr(h, key, "not an integer")
			}
			n = def
		}
		if n < 1 || n > math.MaxInt32 {
			if in.Axes[i] == 0 && n == 0 {
				n = 1
			} else {
				return nil, f.keyErr(h, key, fmt.Sprintf("tile size %d out of range", n))
			}
		}
		n = min(n, max(int64(in.Axes[i]), 1))
		c.Tile = append(c.Tile, int(n))
		t.ntile[i] = (in.Axes[i] + int(n) - 1) / int(n)
		c.Tiles *= int64(t.ntile[i])
	}
	if len(in.Axes) == 0 || npix == 0 {
		c.Tiles = 0
	}
	// Algorithm parameters ZNAMEi/ZVALi.
	c.BlockSize = 32
	switch abs(in.Bitpix) {
	case 8:
		c.BytePix = 1
	case 16:
		c.BytePix = 2
	default:
		c.BytePix = 4
	}
	for i := 1; i <= 999; i++ {
		name, ok := hd.String(fmt.Sprintf("ZNAME%d", i))
		if !ok {
			break
		}
		vkey := fmt.Sprintf("ZVAL%d", i)
		v, _ := hd.Float(vkey)
		switch strings.ToUpper(strings.TrimSpace(name)) {
		case "BLOCKSIZE":
			if v < 1 || v > 1<<16 || v != math.Trunc(v) {
				return nil, f.keyErr(h, vkey, fmt.Sprintf("bad RICE BLOCKSIZE %v", v))
			}
			c.BlockSize = int(v)
		case "BYTEPIX":
			if v != 1 && v != 2 && v != 4 && v != 8 {
				return nil, f.keyErr(h, vkey, fmt.Sprintf("bad BYTEPIX %v", v))
			}
			c.BytePix = int(v)
		case "SCALE":
			c.Scale = v
		case "SMOOTH":
			c.Smooth = v != 0
		}
	}
	// Quantization.
	c.Quantize, _ = hd.String("ZQUANTIZ")
	c.Quantize = strings.ToUpper(strings.TrimSpace(c.Quantize))
	c.Dither0 = 1
	if d, ok := hd.Int("ZDITHER0"); ok {
		c.Dither0 = d
	}
	if zb, ok := hd.Int("ZBLANK"); ok {
		c.ZBlank, c.HasZBlank = zb, true
	}
	t.kScale, t.hasKScale = hd.Float("ZSCALE")
	t.kZero, _ = hd.Float("ZZERO")
	// Columns.
	nf, ok := hd.Int("TFIELDS")
	if !ok || nf < 0 || nf > 999 {
		return nil, f.keyErr(h, "TFIELDS", "missing or out of range 0..999")
	}
	var off int64
	for i := 1; i <= int(nf); i++ {
		fkey := fmt.Sprintf("TFORM%d", i)
		form, ok := hd.String(fkey)
		if !ok {
			return nil, f.keyErr(h, fkey, "missing")
		}
		rep, code, elem, err := parseTForm(form)
		if err != nil {
			return nil, f.keyErr(h, fkey, err.Error())
		}
		name, _ := hd.String(fmt.Sprintf("TTYPE%d", i))
		col := &column{name: strings.ToUpper(strings.TrimSpace(name)), off: off, code: code, elem: elem, repeat: rep}
		w := rep * tformWidth(code)
		if code == 'X' {
			w = (rep + 7) / 8
		}
		off += w
		if rep == 0 {
			continue
		}
		isDesc := code == 'P' || code == 'Q'
		isNum := !isDesc && code != 'A' && code != 'L' && code != 'X'
		switch col.name {
		case "COMPRESSED_DATA":
			if isDesc {
				t.cdata = col
			}
		case "GZIP_COMPRESSED_DATA":
			if isDesc {
				t.gdata = col
			}
		case "UNCOMPRESSED_DATA":
			if isDesc {
				t.udata = col
			}
		case "ZSCALE":
			if isNum {
				t.zscale = col
			}
		case "ZZERO":
			if isNum {
				t.zzero = col
			}
		case "ZBLANK":
			if isNum {
				t.zblank = col
			}
		}
	}
	if off != t.rowLen {
		return nil, f.keyErr(h, "NAXIS1", fmt.Sprintf("row length %d does not match the columns' total width %d", t.rowLen, off))
	}
	if t.cdata == nil && t.gdata == nil && t.udata == nil {
		return nil, f.keyErr(h, "TTYPE1", "compressed image has no COMPRESSED_DATA column")
	}
	main := t.rowLen * t.nrows
	t.theap = main
	if th, ok := hd.Int("THEAP"); ok {
		if th < main || th > main+h.geom.pcount {
			return nil, f.keyErr(h, "THEAP", fmt.Sprintf("heap offset %d outside %d..%d", th, main, main+h.geom.pcount))
		}
		t.theap = th
	}
	t.heapSz = main + h.geom.pcount - t.theap
	// BSCALE/BZERO/BLANK of the uncompressed image keep their names in the
	// compressed header (ZBLANK may replace BLANK for integer images).
	if err := h.scaling(&in, "BSCALE", "BZERO", "BLANK"); err != nil {
		return nil, err
	}
	isFloat := in.Bitpix < 0
	if isFloat {
		switch c.Quantize {
		case "NONE":
		case "SUBTRACTIVE_DITHER_1":
			c.Quantized, t.dither = true, 1
		case "SUBTRACTIVE_DITHER_2":
			c.Quantized, t.dither = true, 2
		case "NO_DITHER", "":
			c.Quantized = t.zscale != nil || t.hasKScale
		default:
			return nil, f.keyErr(h, "ZQUANTIZ", fmt.Sprintf("unknown quantization %q", c.Quantize))
		}
		if c.Quantized && t.zscale == nil && !t.hasKScale {
			return nil, f.keyErr(h, "ZQUANTIZ", "quantized floating-point image without ZSCALE column or keyword")
		}
		if !c.Quantized && (c.Algorithm == "RICE_1" || c.Algorithm == "HCOMPRESS_1" || c.Algorithm == "PLIO_1") {
			return nil, f.keyErr(h, "ZCMPTYPE", c.Algorithm+" needs quantized (integer) pixels, but the floating-point image is not quantized")
		}
		c.Lossy = c.Quantized
	} else {
		if !in.HasBlank && c.HasZBlank {
			in.Blank, in.HasBlank = c.ZBlank, true
		}
		c.Lossy = c.Algorithm == "HCOMPRESS_1" && c.Scale > 1
	}
	t.info = in
	return t, nil
}

// tileSource reads table rows and heap bytes of a compressed HDU, from memory
// (whole-image decode) or from the file (sections).
type tileSource struct {
	h    *HDU
	mem  []byte // whole data area when loaded
	rows []byte // the table's main data
}

func (t *tiled) newSource(whole bool) (*tileSource, error) {
	h := t.h
	s := &tileSource{h: h}
	if whole {
		if h.Available > h.f.opt.MaxBytes {
			return nil, fmt.Errorf("fits: HDU %d: compressed data of %d bytes exceed the %d-byte limit", h.Index, h.Available, h.f.opt.MaxBytes)
		}
		s.mem = make([]byte, h.Available)
		if _, err := h.f.r.ReadAt(s.mem, h.DataOffset); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("fits: HDU %d: reading data: %w", h.Index, err)
		}
		s.rows = s.mem[:min(int64(len(s.mem)), t.rowLen*t.nrows)]
		return s, nil
	}
	n := min(t.rowLen*t.nrows, h.Available)
	if n > h.f.opt.MaxBytes {
		return nil, fmt.Errorf("fits: HDU %d: tile table of %d bytes exceeds the %d-byte limit", h.Index, n, h.f.opt.MaxBytes)
	}
	s.rows = make([]byte, n)
	if _, err := h.f.r.ReadAt(s.rows, h.DataOffset); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("fits: HDU %d: reading tile table: %w", h.Index, err)
	}
	return s, nil
}

// read returns n bytes at offset off from the start of the data.
func (s *tileSource) read(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off > s.h.Available || n > s.h.Available-off {
		return nil, &TruncatedError{HDU: s.h.Index, Want: s.h.DataSize, Have: s.h.Available}
	}
	if s.mem != nil {
		return s.mem[off : off+n], nil
	}
	b := make([]byte, n)
	if _, err := s.h.f.r.ReadAt(b, s.h.DataOffset+off); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b, nil
}

// row returns table row r, or nil when the file ends before it.
func (s *tileSource) row(t *tiled, r int64) []byte {
	a, b := r*t.rowLen, (r+1)*t.rowLen
	if b > int64(len(s.rows)) {
		return nil
	}
	return s.rows[a:b]
}

// numAt reads a numeric column's first element from a row as float64 / int64.
func (c *column) float(row []byte) float64 {
	b := row[c.off:]
	switch c.code {
	case 'B':
		return float64(b[0])
	case 'I':
		return float64(int16(binary.BigEndian.Uint16(b)))
	case 'J':
		return float64(int32(binary.BigEndian.Uint32(b)))
	case 'K':
		return float64(int64(binary.BigEndian.Uint64(b)))
	case 'E':
		return float64(math.Float32frombits(binary.BigEndian.Uint32(b)))
	case 'D':
		return math.Float64frombits(binary.BigEndian.Uint64(b))
	}
	return math.NaN()
}

func (c *column) int(row []byte) int64 {
	b := row[c.off:]
	switch c.code {
	case 'B':
		return int64(b[0])
	case 'I':
		return int64(int16(binary.BigEndian.Uint16(b)))
	case 'J':
		return int64(int32(binary.BigEndian.Uint32(b)))
	case 'K':
		return int64(binary.BigEndian.Uint64(b))
	}
	f := c.float(row)
	if f != f || math.Abs(f) > 1<<62 {
		return math.MinInt64
	}
	return int64(f)
}

// heapBytes returns the bytes a descriptor column points to in row.
func (t *tiled) heapBytes(s *tileSource, c *column, row []byte) ([]byte, int64, error) {
	b := row[c.off:]
	var cnt, off int64
	if c.code == 'P' {
		cnt = int64(int32(binary.BigEndian.Uint32(b)))
		off = int64(int32(binary.BigEndian.Uint32(b[4:])))
	} else {
		cnt = int64(binary.BigEndian.Uint64(b))
		off = int64(binary.BigEndian.Uint64(b[8:]))
	}
	if cnt == 0 {
		return nil, 0, nil
	}
	w := tformWidth(c.elem)
	if c.elem == 'X' {
		w = 1
		cnt = (cnt + 7) / 8
	}
	if cnt < 0 || off < 0 || cnt > t.heapSz/max(w, 1) {
		return nil, 0, fmt.Errorf("column %s: descriptor (%d elements at heap offset %d) outside the %d-byte heap", c.name, cnt, off, t.heapSz)
	}
	n := cnt * w
	if off > t.heapSz-n {
		return nil, 0, fmt.Errorf("column %s: descriptor (%d bytes at heap offset %d) outside the %d-byte heap", c.name, n, off, t.heapSz)
	}
	if n > t.h.f.opt.MaxBytes {
		return nil, 0, fmt.Errorf("column %s: tile of %d bytes exceeds the limit", c.name, n)
	}
	data, err := s.read(t.theap+off, n)
	return data, cnt, err
}

// tileBox returns the start and extent of tile number k along each axis.
func (t *tiled) tileBox(k int64, start, ext []int) {
	for a := range t.ntile {
		i := int(k % int64(t.ntile[a]))
		k /= int64(t.ntile[a])
		start[a] = i * t.c.Tile[a]
		ext[a] = min(t.c.Tile[a], t.info.Axes[a]-start[a])
	}
}

// section decodes the tiles overlapping [lo, lo+shape) and assembles them.
func (t *tiled) section(lo, shape []int) (*Image, error) {
	h := t.h
	out := t.info
	out.Axes = append([]int(nil), shape...)
	n := out.NPix()
	bp := out.BytePix()
	if err := h.f.checkAlloc(h.Index, n, bp); err != nil {
		return nil, err
	}
	m := &Image{ImageInfo: out, Origin: append([]int(nil), lo...)}
	if n == 0 {
		return m, nil
	}
	m.raw = make([]byte, n*int64(bp))
	whole := true
	for a := range shape {
		if shape[a] != t.info.Axes[a] {
			whole = false
		}
	}
	src, err := t.newSource(whole)
	if err != nil {
		return nil, err
	}
	// Tile index ranges per axis.
	na := len(shape)
	tlo := make([]int, na)
	thi := make([]int, na)
	for a := range shape {
		tlo[a] = lo[a] / t.c.Tile[a]
		thi[a] = (lo[a] + shape[a] - 1) / t.c.Tile[a]
	}
	maxTile := int64(1)
	for _, v := range t.c.Tile {
		maxTile *= int64(v)
	}
	if need, ok := mulCheck(maxTile, 16); !ok || need > h.f.opt.MaxBytes {
		return nil, fmt.Errorf("fits: HDU %d: tile of %d pixels exceeds the %d-byte limit", h.Index, maxTile, h.f.opt.MaxBytes)
	}
	// The tiles overlapping the section, in table order.
	var ks []int64
	tc := append([]int(nil), tlo...)
	for {
		k := int64(0)
		mul := int64(1)
		for a := range tc {
			k += int64(tc[a]) * mul
			mul *= int64(t.ntile[a])
		}
		ks = append(ks, k)
		a := 0
		for ; a < na; a++ {
			tc[a]++
			if tc[a] <= thi[a] {
				break
			}
			tc[a] = tlo[a]
		}
		if a == na {
			break
		}
	}
	// Natively, large decodes spread the tiles over the CPUs (each worker has
	// its own scratch buffers; tiles write disjoint parts of the image, and
	// undefined pixels are collected per worker and marked afterwards).
	// WebAssembly has one thread: decode in line.
	workers := 1
	if runtime.GOARCH != "wasm" && len(ks) >= 16 && n >= 1<<16 {
		workers = min(runtime.GOMAXPROCS(0), 8, len(ks)/4)
	}
	results := make([]tileResult, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range results {
		wg.Add(1)
		go func(res *tileResult) {
			defer wg.Done()
			dec := newTileDecoder(t)
			start := make([]int, na)
			ext := make([]int, na)
			for {
				i := next.Add(1) - 1
				if i >= int64(len(ks)) {
					return
				}
				k := ks[i]
				t.tileBox(k, start, ext)
				tn := 1
				for _, e := range ext {
					tn *= e
				}
				traw, tnull, err := dec.decode(src, k, tn, ext)
				if err != nil {
					// Marked undefined after the workers finish.
					res.errs = append(res.errs, tileErr{k, err})
					continue
				}
				t.place(m, traw, tnull, false, lo, shape, start, ext, func(i int) { res.nulls = append(res.nulls, i) })
			}
		}(&results[w])
	}
	wg.Wait()
	var all []tileErr
	var missing int64
	start := make([]int, na)
	ext := make([]int, na)
	for _, r := range results {
		all = append(all, r.errs...)
		for _, i := range r.nulls {
			m.setNull(i)
		}
		for _, e := range r.errs {
			t.tileBox(e.k, start, ext)
			missing += t.place(m, nil, nil, true, lo, shape, start, ext, m.setNull)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].k < all[j].k })
	nerr := len(all)
	var errs []error
	for _, e := range all[:min(len(all), 4)] {
		errs = append(errs, fmt.Errorf("tile %d: %w", e.k+1, e.err))
	}
	m.nativize()
	if len(errs) > 0 {
		var tr *TruncatedError
		if errors.As(errs[0], &tr) {
			return m, &TruncatedError{HDU: h.Index, Want: h.DataSize, Have: h.Available, MissingPixels: missing}
		}
		return m, fmt.Errorf("fits: HDU %d: %d tiles could not be decoded (%d pixels NaN); first: %w", h.Index, nerr, missing, errs[0])
	}
	return m, nil
}

// tileResult collects one decoding worker's outcome.
type tileResult struct {
	errs  []tileErr
	nulls []int // flat indices of null pixels in decoded tiles (per-tile ZBLANK)
}

type tileErr struct {
	k   int64
	err error
}

// place copies the overlap of a decoded tile into the section image and calls
// mark for its null pixels; for a failed tile it marks every overlapping pixel
// and returns their number.
func (t *tiled) place(m *Image, traw []byte, tnull []bool, failed bool, lo, shape, start, ext []int, mark func(int)) int64 {
	na := len(shape)
	bp := m.BytePix()
	// Overlap box in image coordinates.
	olo := make([]int, na)
	ohi := make([]int, na)
	for a := 0; a < na; a++ {
		olo[a] = max(lo[a], start[a])
		ohi[a] = min(lo[a]+shape[a], start[a]+ext[a])
		if olo[a] >= ohi[a] {
			return 0
		}
	}
	var missing int64
	idx := append([]int(nil), olo...)
	runLen := ohi[0] - olo[0]
	for {
		// Offsets of the run in the tile and in the section.
		to, so := 0, 0
		tstride, sstride := 1, 1
		for a := 0; a < na; a++ {
			to += (idx[a] - start[a]) * tstride
			so += (idx[a] - lo[a]) * sstride
			tstride *= ext[a]
			sstride *= shape[a]
		}
		if failed {
			for i := 0; i < runLen; i++ {
				mark(so + i)
			}
			missing += int64(runLen)
		} else {
			copy(m.raw[so*bp:(so+runLen)*bp], traw[to*bp:(to+runLen)*bp])
			if tnull != nil {
				for i := 0; i < runLen; i++ {
					if tnull[to+i] {
						mark(so + i)
					}
				}
			}
		}
		a := 1
		for ; a < na; a++ {
			idx[a]++
			if idx[a] < ohi[a] {
				break
			}
			idx[a] = olo[a]
		}
		if a >= na {
			break
		}
	}
	return missing
}

// tileDecoder holds scratch buffers reused across tiles.
type tileDecoder struct {
	t     *tiled
	raw   []byte
	ints  []int64
	i32   []int32
	nulls []bool
	gz    *gzip.Reader
	gzbuf []byte
}

func newTileDecoder(t *tiled) *tileDecoder {
	return &tileDecoder{t: t}
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// decode decodes tile k (0-based row) of n pixels into big-endian raw pixels of
// the image's BITPIX, and a null mask (nil when no pixel is null).
func (d *tileDecoder) decode(s *tileSource, k int64, n int, ext []int) ([]byte, []bool, error) {
	t := d.t
	c := t.c
	bp := t.info.BytePix()
	if k >= t.nrows {
		return nil, nil, fmt.Errorf("the table has %d rows for %d tiles", t.nrows, c.Tiles)
	}
	row := s.row(t, k)
	if row == nil {
		return nil, nil, &TruncatedError{HDU: t.h.Index, Want: t.h.DataSize, Have: t.h.Available}
	}
	d.raw = grow(d.raw, n*bp)
	raw := d.raw
	// Per-tile scaling and null value.
	scale, zero := t.kScale, t.kZero
	if t.zscale != nil {
		scale = t.zscale.float(row)
	}
	if t.zzero != nil {
		zero = t.zzero.float(row)
	}
	hasNull, nullVal := c.HasZBlank, c.ZBlank
	if t.zblank != nil {
		hasNull, nullVal = true, t.zblank.int(row)
	}

	var data []byte
	var err error
	if t.cdata != nil {
		data, _, err = t.heapBytes(s, t.cdata, row)
		if err != nil {
			return nil, nil, err
		}
	}
	if len(data) == 0 {
		// Tiles the writer could not compress are stored in fallback columns.
		if t.gdata != nil {
			g, _, err := t.heapBytes(s, t.gdata, row)
			if err != nil {
				return nil, nil, err
			}
			if len(g) > 0 {
				if err := d.gunzipInto(raw, g); err != nil {
					return nil, nil, fmt.Errorf("GZIP_COMPRESSED_DATA: %w", err)
				}
				return raw, nil, nil
			}
		}
		if t.udata != nil {
			u, cnt, err := t.heapBytes(s, t.udata, row)
			if err != nil {
				return nil, nil, err
			}
			if len(u) > 0 {
				if cnt != int64(n) {
					return nil, nil, fmt.Errorf("UNCOMPRESSED_DATA has %d values for a %d-pixel tile", cnt, n)
				}
				if err := convertElems(raw, t.info.Bitpix, u, t.udata.elem, n); err != nil {
					return nil, nil, err
				}
				return raw, nil, nil
			}
		}
		return nil, nil, fmt.Errorf("no data stored for the tile")
	}

	isFloat := t.info.Bitpix < 0
	if isFloat && !c.Quantized {
		// Lossless floats: GZIP_1/GZIP_2/NOCOMPRESS of the IEEE values.
		if err := d.bytesCodec(raw, data, bp, n); err != nil {
			return nil, nil, err
		}
		return raw, nil, nil
	}
	// Integer pixels (the image's own, or quantized floats).
	intWidth := bp
	if isFloat {
		intWidth = 4
	}
	switch c.Algorithm {
	case "GZIP_1", "GZIP_2", "NOCOMPRESS":
		buf := raw
		if intWidth != bp {
			d.gzbuf = grow(d.gzbuf, n*intWidth)
			buf = d.gzbuf
		}
		if err := d.bytesCodec(buf, data, intWidth, n); err != nil {
			return nil, nil, err
		}
		if !isFloat && !hasNull {
			return raw, nil, nil // already the image's big-endian pixels
		}
		if intWidth == 4 {
			d.i32 = grow(d.i32, n)
			for i := range d.i32 {
				d.i32[i] = int32(binary.BigEndian.Uint32(buf[4*i:]))
			}
			return finishInts(d, raw, d.i32, k, scale, zero, hasNull, nullVal)
		}
		d.ints = grow(d.ints, n)
		for i := range d.ints {
			d.ints[i] = beInt(buf[i*intWidth:], intWidth)
		}
		return finishInts(d, raw, d.ints, k, scale, zero, hasNull, nullVal)
	case "RICE_1":
		d.i32 = grow(d.i32, n)
		if err := riceDecode(data, c.BytePix, c.BlockSize, d.i32); err != nil {
			return nil, nil, err
		}
		return finishInts(d, raw, d.i32, k, scale, zero, hasNull, nullVal)
	case "PLIO_1":
		d.i32 = grow(d.i32, n)
		if err := plioDecode(data, d.i32); err != nil {
			return nil, nil, err
		}
		return finishInts(d, raw, d.i32, k, scale, zero, hasNull, nullVal)
	case "HCOMPRESS_1":
		d.ints = grow(d.ints, n)
		nx, ny, err := hcompressDecode(data, c.Smooth, d.ints)
		if err != nil {
			return nil, nil, err
		}
		if nx*ny != n {
			return nil, nil, fmt.Errorf("HCOMPRESS tile is %dx%d, want %d pixels", nx, ny, n)
		}
		return finishInts(d, raw, d.ints, k, scale, zero, hasNull, nullVal)
	}
	return nil, nil, fmt.Errorf("unsupported algorithm %s", c.Algorithm)
}

// finishInts turns a tile's decoded integers into the image's raw pixels:
// dequantized floats, or integers of the image's BITPIX with a null mask when
// a per-tile null value differs from the image's BLANK.
func finishInts[T int32 | int64](d *tileDecoder, raw []byte, q []T, k int64, scale, zero float64, hasNull bool, nullVal int64) ([]byte, []bool, error) {
	t := d.t
	if t.info.Bitpix < 0 {
		dequantize(t, raw, q, k, scale, zero, hasNull, nullVal)
		return raw, nil, nil
	}
	putInts(raw, q, t.info.Bitpix)
	if !(hasNull && t.zblank != nil && (!t.info.HasBlank || nullVal != t.info.Blank)) {
		return raw, nil, nil
	}
	d.nulls = grow(d.nulls, len(q))
	nulls := d.nulls
	anyNull := false
	for i, v := range q {
		nulls[i] = int64(v) == nullVal
		anyNull = anyNull || nulls[i]
	}
	if !anyNull {
		return raw, nil, nil
	}
	return raw, nulls, nil
}

// bytesCodec decodes GZIP_1, GZIP_2 or NOCOMPRESS tile bytes of n elements of
// width w into out (big-endian elements).
func (d *tileDecoder) bytesCodec(out, data []byte, w, n int) error {
	switch d.t.c.Algorithm {
	case "NOCOMPRESS":
		if len(data) != n*w {
			return fmt.Errorf("NOCOMPRESS tile has %d bytes, want %d", len(data), n*w)
		}
		copy(out, data)
	case "GZIP_1":
		return d.gunzipInto(out[:n*w], data)
	case "GZIP_2":
		d.gzbuf = grow(d.gzbuf, n*w)
		sh := d.gzbuf
		if err := d.gunzipInto(sh, data); err != nil {
			return err
		}
		unshuffle(out[:n*w], sh, w, n)
	default:
		return fmt.Errorf("%s cannot store unquantized floating-point pixels", d.t.c.Algorithm)
	}
	return nil
}

// unshuffle undoes GZIP_2's byte shuffle: the stream holds the most significant
// byte of every pixel, then the next byte of every pixel, and so on.
func unshuffle(out, sh []byte, w, n int) {
	switch w {
	case 1:
		copy(out, sh)
	case 2:
		p0, p1 := sh[:n], sh[n:2*n]
		out = out[:2*n]
		for i := range p0 {
			out[2*i] = p0[i]
			out[2*i+1] = p1[i]
		}
	case 4:
		p0, p1, p2, p3 := sh[:n], sh[n:2*n], sh[2*n:3*n], sh[3*n:4*n]
		out = out[:4*n]
		for i := range p0 {
			o := out[4*i : 4*i+4]
			o[0], o[1], o[2], o[3] = p0[i], p1[i], p2[i], p3[i]
		}
	default:
		for b := 0; b < w; b++ {
			p := sh[b*n : (b+1)*n]
			for i, v := range p {
				out[i*w+b] = v
			}
		}
	}
}

// gunzipInto decompresses a gzip stream that must fill out exactly.
func (d *tileDecoder) gunzipInto(out, data []byte) error {
	br := bytes.NewReader(data)
	var err error
	if d.gz == nil {
		d.gz, err = gzip.NewReader(br)
	} else {
		err = d.gz.Reset(br)
	}
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	d.gz.Multistream(false)
	got, err := io.ReadFull(d.gz, out)
	if err != nil {
		return fmt.Errorf("gzip: tile decompresses to %d bytes, want %d: %w", got, len(out), err)
	}
	// The stream must end here (a longer stream is a corrupt tile).
	var one [1]byte
	if k, _ := d.gz.Read(one[:]); k > 0 {
		return fmt.Errorf("gzip: tile decompresses to more than %d bytes", len(out))
	}
	return nil
}

func beInt(b []byte, w int) int64 {
	switch w {
	case 1:
		return int64(b[0])
	case 2:
		return int64(int16(binary.BigEndian.Uint16(b)))
	case 4:
		return int64(int32(binary.BigEndian.Uint32(b)))
	default:
		return int64(binary.BigEndian.Uint64(b))
	}
}

// putInts writes integers as big-endian pixels of an integer BITPIX (values are
// truncated to the width, as CFITSIO stores them).
func putInts[T int32 | int64](raw []byte, ints []T, bitpix int) {
	switch bitpix {
	case 8:
		for i, v := range ints {
			raw[i] = byte(v)
		}
	case 16:
		for i, v := range ints {
			binary.BigEndian.PutUint16(raw[2*i:], uint16(v))
		}
	case 32:
		for i, v := range ints {
			binary.BigEndian.PutUint32(raw[4*i:], uint32(v))
		}
	case 64:
		for i, v := range ints {
			binary.BigEndian.PutUint64(raw[8*i:], uint64(v))
		}
	}
}

// convertElems converts n big-endian elements of a TFORM type to pixels of bitpix.
func convertElems(raw []byte, bitpix int, src []byte, elem byte, n int) error {
	w := int(tformWidth(elem))
	if w == 0 || len(src) < n*w {
		return fmt.Errorf("UNCOMPRESSED_DATA: bad element type %q or length", elem)
	}
	for i := 0; i < n; i++ {
		b := src[i*w:]
		var f float64
		var iv int64
		isInt := true
		switch elem {
		case 'B':
			iv = int64(b[0])
		case 'I':
			iv = int64(int16(binary.BigEndian.Uint16(b)))
		case 'J':
			iv = int64(int32(binary.BigEndian.Uint32(b)))
		case 'K':
			iv = int64(binary.BigEndian.Uint64(b))
		case 'E':
			f, isInt = float64(math.Float32frombits(binary.BigEndian.Uint32(b))), false
		case 'D':
			f, isInt = math.Float64frombits(binary.BigEndian.Uint64(b)), false
		default:
			return fmt.Errorf("UNCOMPRESSED_DATA: unsupported element type %q", elem)
		}
		if isInt {
			f = float64(iv)
		} else {
			iv = int64(f)
		}
		switch bitpix {
		case 8:
			raw[i] = byte(iv)
		case 16:
			binary.BigEndian.PutUint16(raw[2*i:], uint16(iv))
		case 32:
			binary.BigEndian.PutUint32(raw[4*i:], uint32(iv))
		case 64:
			binary.BigEndian.PutUint64(raw[8*i:], uint64(iv))
		case -32:
			binary.BigEndian.PutUint32(raw[4*i:], math.Float32bits(float32(f)))
		case -64:
			binary.BigEndian.PutUint64(raw[8*i:], math.Float64bits(f))
		}
	}
	return nil
}
