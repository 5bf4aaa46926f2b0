package fits

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// ImageInfo describes an image HDU without reading its data. For a
// tile-compressed HDU it describes the uncompressed image (ZBITPIX, ZNAXISn, ...).
type ImageInfo struct {
	Axes     []int   // NAXIS1, NAXIS2, ... (NAXIS1 fastest); empty for NAXIS = 0
	Bitpix   int     // 8, 16, 32, 64, -32 or -64
	BScale   float64 // BSCALE (1 when absent)
	BZero    float64 // BZERO (0 when absent)
	Blank    int64   // BLANK, meaningful when HasBlank
	HasBlank bool    // BLANK is present and BITPIX > 0 (BLANK is ignored for floats)
	// Compression is set for tile-compressed images.
	Compression *Compression
}

// NPix returns the number of pixels (0 for an empty image).
func (in ImageInfo) NPix() int64 {
	if len(in.Axes) == 0 {
		return 0
	}
	n := int64(1)
	for _, a := range in.Axes {
		n *= int64(a)
	}
	return n
}

// Empty reports whether the image has no pixels (NAXIS = 0 or a zero axis).
func (in ImageInfo) Empty() bool { return in.NPix() == 0 }

// BytePix returns the size of one stored pixel in bytes.
func (in ImageInfo) BytePix() int { return abs(in.Bitpix) / 8 }

// Image is a decoded image or image section: raw pixels as stored (big-endian),
// plus what is needed to turn them into physical values.
type Image struct {
	ImageInfo
	// Origin is the 0-based index, in the HDU's full image, of this image's
	// first pixel (all zeros for a whole image).
	Origin []int

	raw []byte    // big-endian pixels of Bitpix, len = NPix*BytePix (nil when f32 is set)
	f32 []float32 // native pixels of unscaled BITPIX -32 images (see nativize)
	// finite counts f32's finite values per FiniteBlock pixels (nativize).
	finite []int32
	nulls  []uint64 // bitset of pixels that are undefined (missing data, null tiles); nil if none
}

// AllFinite reports whether every physical value of the image is known to
// be finite without looking at them: an integer image without BLANK and with
// no pixel missing (a truncated file, a null tile). False means not, or not
// known (floating-point images). A caller computing limits can then skip its
// own pass counting the finite values (FiniteCounts gives those counts for
// floating-point images).
func (m *Image) AllFinite() bool {
	return m.nulls == nil && m.Bitpix > 0 && !m.HasBlank
}

// Raw returns the stored pixels, big-endian, as BITPIX says (for compressed
// images: the uncompressed image's pixels, quantized floats already restored).
// The slice may be shared with the image: do not modify it. (Unscaled BITPIX
// -32 images are held as native float32; Raw then builds a new slice.)
func (m *Image) Raw() []byte { return m.rawBytes() }

// IsNull reports whether pixel i (flat index) is undefined for a reason other
// than BLANK or a NaN value: missing from a truncated file or a damaged tile.
func (m *Image) IsNull(i int) bool {
	return m.nulls != nil && m.nulls[i>>6]&(1<<(uint(i)&63)) != 0
}

func (m *Image) setNull(i int) {
	if m.nulls == nil {
		m.nulls = make([]uint64, (int(m.NPix())+63)/64)
	}
	m.nulls[i>>6] |= 1 << (uint(i) & 63)
}

// HasNulls reports whether some pixels are undefined (see IsNull).
func (m *Image) HasNulls() bool { return m.nulls != nil }

// ImageInfo reads the image keywords of a primary, IMAGE or tile-compressed HDU.
func (h *HDU) ImageInfo() (ImageInfo, error) {
	switch h.typ {
	case TypePrimary, TypeImage:
		if h.geom.groups {
			return ImageInfo{}, fmt.Errorf("fits: HDU %d: random-groups data are not an image", h.Index)
		}
		in := ImageInfo{Bitpix: h.geom.bitpix, BScale: 1}
		for _, a := range h.geom.naxis {
			if a > math.MaxInt32 {
				return ImageInfo{}, h.f.keyErr(h, "NAXIS", fmt.Sprintf("axis length %d too large", a))
			}
			in.Axes = append(in.Axes, int(a))
		}
		if err := h.scaling(&in, "BSCALE", "BZERO", "BLANK"); err != nil {
			return ImageInfo{}, err
		}
		return in, nil
	case TypeCompressedImage:
		t, err := h.tiled()
		if err != nil {
			return ImageInfo{}, err
		}
		return t.info, nil
	}
	return ImageInfo{}, fmt.Errorf("fits: HDU %d is %s, not an image", h.Index, h.typ)
}

// scaling reads BSCALE/BZERO/BLANK-like keywords into in.
func (h *HDU) scaling(in *ImageInfo, kScale, kZero, kBlank string) error {
	if h.hdr.Has(kScale) {
		v, ok := h.hdr.Float(kScale)
		if !ok || math.IsInf(v, 0) || math.IsNaN(v) {
			return h.f.keyErr(h, kScale, "not a finite number")
		}
		in.BScale = v
	}
	if h.hdr.Has(kZero) {
		v, ok := h.hdr.Float(kZero)
		if !ok || math.IsInf(v, 0) || math.IsNaN(v) {
			return h.f.keyErr(h, kZero, "not a finite number")
		}
		in.BZero = v
	}
	if h.hdr.Has(kBlank) && in.Bitpix > 0 {
		v, ok := h.hdr.Int(kBlank)
		if !ok {
			return h.f.keyErr(h, kBlank, "not an integer")
		}
		in.Blank, in.HasBlank = v, true
	}
	return nil
}

// checkAlloc fails when n pixels of bytePix bytes (plus a float32 copy) would
// exceed the memory cap.
func (f *File) checkAlloc(hdu int, n int64, bytePix int) error {
	need, ok := mulCheck(n, int64(bytePix)+4)
	if !ok || need > f.opt.MaxBytes {
		return fmt.Errorf("fits: HDU %d: image of %d pixels needs more than the %d-byte limit (OpenOptions.MaxBytes)", hdu, n, f.opt.MaxBytes)
	}
	return nil
}

// Image reads and decodes the whole image of a primary, IMAGE or tile-compressed
// HDU. Only this HDU's bytes are read. A truncated file gives the decodable part
// (missing pixels NaN) together with a *TruncatedError; a damaged tile gives the
// other tiles with an error naming the tile.
func (h *HDU) Image() (*Image, error) {
	in, err := h.ImageInfo()
	if err != nil {
		return nil, err
	}
	if in.Compression != nil {
		t, _ := h.tiled()
		return t.section(make([]int, len(in.Axes)), in.Axes)
	}
	n := in.NPix()
	if err := h.f.checkAlloc(h.Index, n, in.BytePix()); err != nil {
		return nil, err
	}
	m := &Image{ImageInfo: in, Origin: make([]int, len(in.Axes))}
	if n == 0 {
		return m, nil
	}
	size := n * int64(in.BytePix())
	m.raw = make([]byte, size)
	have := min(h.Available, size)
	if have > 0 {
		if _, err := h.f.r.ReadAt(m.raw[:have], h.DataOffset); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("fits: HDU %d: reading data: %w", h.Index, err)
		}
	}
	if have < size {
		bp := int64(in.BytePix())
		first := have / bp
		for i := first; i < n; i++ {
			m.setNull(int(i))
		}
		m.nativize()
		return m, &TruncatedError{HDU: h.Index, Want: h.DataSize, Have: h.Available, MissingPixels: n - first}
	}
	m.nativize()
	return m, nil
}

// Section reads the part of the image with 0-based start index lo and extent
// shape along each axis (len(lo) = len(shape) = NAXIS). Only the bytes (or, for
// compressed images, the tiles) that the section needs are read and decoded.
func (h *HDU) Section(lo, shape []int) (*Image, error) {
	return h.section(lo, shape, false)
}

// A Lender is an io.ReaderAt that can hand out its bytes in place. Lend
// returns the n bytes at off, or ok false; the caller may keep and modify
// them, so a Lender lends bytes that nothing else reads (a download
// buffer, a decompressed stream), and lends each byte at most once.
type Lender interface {
	io.ReaderAt
	Lend(off, n int64) (b []byte, ok bool)
}

// section is Section; with take, a section that is one contiguous run of
// the file is the reader's own bytes when it is a Lender (no copy).
func (h *HDU) section(lo, shape []int, take bool) (*Image, error) {
	in, err := h.ImageInfo()
	if err != nil {
		return nil, err
	}
	if err := checkSection(in.Axes, lo, shape); err != nil {
		return nil, fmt.Errorf("fits: HDU %d: %w", h.Index, err)
	}
	if in.Compression != nil {
		t, _ := h.tiled()
		return t.section(lo, shape)
	}
	out := in
	out.Axes = append([]int(nil), shape...)
	n := out.NPix()
	if err := h.f.checkAlloc(h.Index, n, in.BytePix()); err != nil {
		return nil, err
	}
	m := &Image{ImageInfo: out, Origin: append([]int(nil), lo...)}
	if n == 0 {
		return m, nil
	}
	bp := int64(in.BytePix())
	// Merge leading axes that are read whole into one contiguous run.
	run := int64(shape[0])
	k := 1
	for k < len(shape) && shape[k-1] == in.Axes[k-1] && lo[k-1] == 0 {
		run *= int64(shape[k])
		k++
	}
	// The byte span from the first run to the end of the last: when it is not
	// much more than the section itself, read it with one ReadAt (in the
	// browser every ReadAt is a Blob.slice round trip).
	first, last := int64(0), int64(0)
	stride := int64(1)
	for a := range in.Axes {
		first += int64(lo[a]) * stride
		end := int64(lo[a])
		if a >= k {
			end += int64(shape[a] - 1)
		}
		last += end * stride
		stride *= int64(in.Axes[a])
	}
	spanOff, span := first*bp, (last-first+run)*bp
	// One run, all in the file, from a Lender: the pixels are its bytes.
	if l, ok := h.f.r.(Lender); ok && take && run == n && spanOff+span <= h.Available {
		if b, ok := l.Lend(h.DataOffset+spanOff, span); ok && int64(len(b)) == span {
			m.raw = b
			m.nativize()
			return m, nil
		}
	}
	m.raw = make([]byte, n*bp)
	var buf []byte
	// One run (a whole plane, say) is read straight into the pixels.
	if run < n && span <= max(4*n*bp, 1<<20) && span <= h.f.opt.MaxBytes-n*bp {
		have := max(0, min(span, h.Available-spanOff))
		buf = make([]byte, have)
		if have > 0 {
			if _, err := h.f.r.ReadAt(buf, h.DataOffset+spanOff); err != nil && !errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("fits: HDU %d: reading data: %w", h.Index, err)
			}
		}
	}
	var missing int64
	idx := make([]int, len(shape)) // counter over axes k..n-1
	for pos := int64(0); pos < n; pos += run {
		// File offset of the run: lo + idx in full-image strides.
		off := int64(0)
		stride := int64(1)
		for a := range in.Axes {
			c := int64(lo[a])
			if a >= k {
				c += int64(idx[a])
			}
			off += c * stride
			stride *= int64(in.Axes[a])
		}
		boff := off * bp
		dst := m.raw[pos*bp : (pos+run)*bp]
		have := max(0, min(int64(len(dst)), h.Available-boff))
		if buf != nil {
			have = int64(copy(dst, buf[min(int64(len(buf)), boff-spanOff):]))
		} else if have > 0 {
			if _, err := h.f.r.ReadAt(dst[:have], h.DataOffset+boff); err != nil && !errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("fits: HDU %d: reading data: %w", h.Index, err)
			}
		}
		if have < int64(len(dst)) {
			for i := pos + have/bp; i < pos+run; i++ {
				m.setNull(int(i))
				missing++
			}
		}
		// Advance the counter over axes >= k (the run covers axes < k).
		for a := k; a < len(shape); a++ {
			idx[a]++
			if idx[a] < shape[a] {
				break
			}
			idx[a] = 0
		}
	}
	m.nativize()
	if missing > 0 {
		return m, &TruncatedError{HDU: h.Index, Want: h.DataSize, Have: h.Available, MissingPixels: missing}
	}
	return m, nil
}

func checkSection(axes, lo, shape []int) error {
	if len(lo) != len(axes) || len(shape) != len(axes) {
		return fmt.Errorf("section has %d/%d axes, image has %d", len(lo), len(shape), len(axes))
	}
	for i := range axes {
		if lo[i] < 0 || shape[i] < 0 || lo[i] > axes[i] || shape[i] > axes[i]-lo[i] {
			return fmt.Errorf("section [%d, %d) on axis %d is outside 0..%d", lo[i], lo[i]+shape[i], i+1, axes[i])
		}
	}
	return nil
}

// Plane reads one 2-D plane of a cube: idx are the 0-based indices along
// NAXIS3, NAXIS4, ... (missing trailing indices are 0). Only that plane is read.
func (h *HDU) Plane(idx ...int) (*Image, error) {
	return h.plane(false, idx)
}

// TakePlane is Plane for a file whose reader is a Lender (or a gzip stream,
// decompressed into memory): the pixels of an uncompressed plane are then the
// file's own bytes, not a copy, and the image changes them (BITPIX -32 pixels
// are put in native byte order in place). Take each plane at most once and
// read nothing else from its bytes; with other readers it is Plane.
func (h *HDU) TakePlane(idx ...int) (*Image, error) {
	return h.plane(true, idx)
}

func (h *HDU) plane(take bool, idx []int) (*Image, error) {
	in, err := h.ImageInfo()
	if err != nil {
		return nil, err
	}
	if len(in.Axes) < 2 {
		return nil, fmt.Errorf("fits: HDU %d: image has %d axes, a plane needs 2", h.Index, len(in.Axes))
	}
	if len(idx) > len(in.Axes)-2 {
		return nil, fmt.Errorf("fits: HDU %d: %d plane indices for a %d-D image", h.Index, len(idx), len(in.Axes))
	}
	lo := make([]int, len(in.Axes))
	shape := make([]int, len(in.Axes))
	shape[0], shape[1] = in.Axes[0], in.Axes[1]
	for a := 2; a < len(in.Axes); a++ {
		shape[a] = 1
		if a-2 < len(idx) {
			lo[a] = idx[a-2]
		}
	}
	m, err := h.section(lo, shape, take)
	if m != nil {
		m.Axes = m.Axes[:2]
	}
	return m, err
}

// Plane returns plane k (0-based, counting over NAXIS3*NAXIS4*...) of an
// in-memory image as a 2-D image sharing its pixels.
func (m *Image) Plane(k int) (*Image, error) {
	if len(m.Axes) < 2 {
		return nil, fmt.Errorf("fits: image has %d axes, a plane needs 2", len(m.Axes))
	}
	np := 1
	for _, a := range m.Axes[2:] {
		np *= a
	}
	if k < 0 || k >= np {
		return nil, fmt.Errorf("fits: plane %d out of range 0..%d", k, np-1)
	}
	size := m.Axes[0] * m.Axes[1]
	bp := m.BytePix()
	p := &Image{ImageInfo: m.ImageInfo}
	if m.f32 != nil {
		p.f32 = m.f32[k*size : (k+1)*size]
	} else {
		p.raw = m.raw[k*size*bp : (k+1)*size*bp]
	}
	p.Axes = []int{m.Axes[0], m.Axes[1]}
	p.Origin = make([]int, len(m.Axes))
	copy(p.Origin, m.Origin)
	if len(p.Origin) > 2 {
		rem := k
		for a := 2; a < len(m.Axes); a++ {
			p.Origin[a] += rem % m.Axes[a]
			rem /= m.Axes[a]
		}
	}
	if m.nulls != nil {
		for i := 0; i < size; i++ {
			if m.IsNull(k*size + i) {
				p.setNull(i)
			}
		}
	}
	return p, nil
}

// Float64 returns the physical values BZERO + BSCALE*raw in float64 (two rounded
// operations), with integer BLANK and undefined pixels as NaN, in FITS order.
func (m *Image) Float64() []float64 {
	n := int(m.NPix())
	out := make([]float64, n)
	m.float64Into(out, 0)
	return out
}

// Float32 returns the physical values as float32 (each computed in float64 as
// for Float64, then rounded), for display. For an unscaled BITPIX -32 image
// without undefined pixels the slice is the image's own storage (no copy):
// do not modify it.
func (m *Image) Float32() []float32 {
	if m.f32 != nil && m.nulls == nil {
		return m.f32
	}
	n := int(m.NPix())
	out := make([]float32, n)
	m.float32Into(out, 0)
	return out
}

// Float64Row writes the physical values of pixels [start, start+len(dst))
// (flat FITS-order index) into dst, e.g. one row of a cutout without a full
// float64 copy. Like copy on slices, it panics when the range is outside the
// image.
func (m *Image) Float64Row(dst []float64, start int) {
	m.float64Into(dst, start)
}

// Value returns the physical value at the 0-based index idx (NAXIS1 first),
// relative to this image.
func (m *Image) Value(idx ...int) (float64, error) {
	if len(idx) != len(m.Axes) {
		return 0, fmt.Errorf("fits: %d indices for a %d-D image", len(idx), len(m.Axes))
	}
	flat, stride := 0, 1
	for a, i := range idx {
		if i < 0 || i >= m.Axes[a] {
			return 0, fmt.Errorf("fits: index %d out of range on axis %d", i, a+1)
		}
		flat += i * stride
		stride *= m.Axes[a]
	}
	var v [1]float64
	m.float64Into(v[:], flat)
	return v[0], nil
}

func (m *Image) scaled() bool { return m.BScale != 1 || m.BZero != 0 }

// float64Into converts pixels starting at flat index start into out.
func (m *Image) float64Into(out []float64, start int) {
	bs, bz := m.BScale, m.BZero
	sc := m.scaled()
	nan := math.NaN()
	if m.f32 != nil {
		for i, v := range m.f32[start : start+len(out)] {
			out[i] = float64(v)
		}
		m.nullsInto(out, start)
		return
	}
	bp := m.BytePix()
	raw := m.raw[start*bp : (start+len(out))*bp]
	switch m.Bitpix {
	case 8:
		for i := range out {
			r := raw[i]
			if m.HasBlank && int64(r) == m.Blank {
				out[i] = nan
			} else if sc {
				out[i] = bz + float64(bs*float64(r))
			} else {
				out[i] = float64(r)
			}
		}
	case 16:
		for i := range out {
			r := int16(binary.BigEndian.Uint16(raw[2*i:]))
			if m.HasBlank && int64(r) == m.Blank {
				out[i] = nan
			} else if sc {
				out[i] = bz + float64(bs*float64(r))
			} else {
				out[i] = float64(r)
			}
		}
	case 32:
		for i := range out {
			r := int32(binary.BigEndian.Uint32(raw[4*i:]))
			if m.HasBlank && int64(r) == m.Blank {
				out[i] = nan
			} else if sc {
				out[i] = bz + float64(bs*float64(r))
			} else {
				out[i] = float64(r)
			}
		}
	case 64:
		for i := range out {
			r := int64(binary.BigEndian.Uint64(raw[8*i:]))
			if m.HasBlank && r == m.Blank {
				out[i] = nan
			} else if sc {
				out[i] = bz + float64(bs*float64(r))
			} else {
				out[i] = float64(r)
			}
		}
	case -32:
		for i := range out {
			r := float64(math.Float32frombits(binary.BigEndian.Uint32(raw[4*i:])))
			if sc {
				r = bz + float64(bs*r)
			}
			out[i] = r
		}
	case -64:
		for i := range out {
			r := math.Float64frombits(binary.BigEndian.Uint64(raw[8*i:]))
			if sc {
				r = bz + float64(bs*r)
			}
			out[i] = r
		}
	}
	m.nullsInto(out, start)
}

func (m *Image) nullsInto(out []float64, start int) {
	if m.nulls != nil {
		nan := math.NaN()
		for i := range out {
			if m.IsNull(start + i) {
				out[i] = nan
			}
		}
	}
}

// intScaling maps stored integers to physical values.
type intScaling struct {
	scaled        bool
	bscale, bzero float64
	hasBlank      bool
	blank         int64
}

// intScaling is the image's integer scaling.
func (m *Image) intScaling() intScaling {
	return intScaling{scaled: m.scaled(), bscale: m.BScale, bzero: m.BZero, hasBlank: m.HasBlank, blank: m.Blank}
}

// float32 is the physical value of stored integer v with the arithmetic of
// float64Into (BLANK is NaN, else BZERO + BSCALE*v in float64), rounded.
func (s intScaling) float32(v int64) float32 {
	if s.hasBlank && v == s.blank {
		return float32(math.NaN())
	}
	r := float64(v)
	if s.scaled {
		r = s.bzero + float64(s.bscale*r)
	}
	return float32(r)
}

// float32Into converts pixels starting at flat index start into out.
func (m *Image) float32Into(out []float32, start int) {
	if m.f32 != nil {
		copy(out, m.f32[start:])
	} else if m.Bitpix == -32 && !m.scaled() {
		decodeFloat32BE(out, m.raw[4*start:4*(start+len(out))])
	} else if m.Bitpix == 16 || m.Bitpix == 32 {
		// 16- and 32-bit integers: one pass, no float64 staging.
		sc := m.intScaling()
		if m.Bitpix == 16 {
			raw := m.raw[2*start : 2*(start+len(out))]
			for i := range out {
				out[i] = sc.float32(int64(int16(binary.BigEndian.Uint16(raw[2*i:]))))
			}
		} else {
			raw := m.raw[4*start : 4*(start+len(out))]
			for i := range out {
				out[i] = sc.float32(int64(int32(binary.BigEndian.Uint32(raw[4*i:]))))
			}
		}
	} else {
		const chunk = 4096
		var buf [chunk]float64
		for i := 0; i < len(out); i += chunk {
			n := min(chunk, len(out)-i)
			m.float64Into(buf[:n], start+i)
			for j, v := range buf[:n] {
				out[i+j] = float32(v)
			}
		}
		return
	}
	m.nullsF32(out, start)
}

// nullsF32 sets to NaN the values in out of pixels start... that are
// undefined (missing data, null tiles).
func (m *Image) nullsF32(out []float32, start int) {
	if m.nulls == nil {
		return
	}
	nan := float32(math.NaN())
	for i := range out {
		if m.IsNull(start + i) {
			out[i] = nan
		}
	}
}

// decodeFloat32BE converts big-endian float32 bytes to float32 values.
func decodeFloat32BE(out []float32, raw []byte) {
	raw = raw[:4*len(out)]
	i := 0
	// Two pixels per 64-bit load: fewer bounds checks and loads, which matters
	// most under WebAssembly.
	for ; i+1 < len(out); i += 2 {
		v := binary.BigEndian.Uint64(raw[4*i:])
		out[i] = math.Float32frombits(uint32(v >> 32))
		out[i+1] = math.Float32frombits(uint32(v))
	}
	if i < len(out) {
		out[i] = math.Float32frombits(binary.BigEndian.Uint32(raw[4*i:]))
	}
}

// Stats summarises the physical values of an image.
type Stats struct {
	N       int64   `json:"n_pixels"`
	NaN     int64   `json:"n_nan"`
	Inf     int64   `json:"n_inf"`
	Finite  int64   `json:"n_finite"`
	Min     float64 `json:"min"`  // over finite values (NaN when none)
	Max     float64 `json:"max"`  // over finite values (NaN when none)
	Mean    float64 `json:"mean"` // compensated sum of finite values / Finite
	NBlank  int64   `json:"n_blank"`
	NullPix int64   `json:"n_undefined"` // pixels missing from the file or from damaged tiles
}

// Stats computes counts, min, max and mean of the physical values, streaming
// (no full float64 copy).
func (m *Image) Stats() Stats {
	n := int(m.NPix())
	s := Stats{N: int64(n), Min: math.Inf(1), Max: math.Inf(-1)}
	var sum, comp float64
	const chunk = 4096
	var buf [chunk]float64
	bp := m.BytePix()
	for i := 0; i < n; i += chunk {
		k := min(chunk, n-i)
		m.float64Into(buf[:k], i)
		for j, v := range buf[:k] {
			switch {
			case math.IsNaN(v):
				s.NaN++
				if m.HasBlank && m.raw != nil && rawInt(m.raw[(i+j)*bp:], m.Bitpix) == m.Blank {
					s.NBlank++
				}
				if m.IsNull(i + j) {
					s.NullPix++
				}
			case math.IsInf(v, 0):
				s.Inf++
			default:
				s.Finite++
				if v < s.Min {
					s.Min = v
				}
				if v > s.Max {
					s.Max = v
				}
				// Neumaier compensated summation.
				t := sum + v
				if math.Abs(sum) >= math.Abs(v) {
					comp += (sum - t) + v
				} else {
					comp += (v - t) + sum
				}
				sum = t
			}
		}
	}
	if s.Finite > 0 {
		s.Mean = (sum + comp) / float64(s.Finite)
	} else {
		s.Min, s.Max, s.Mean = math.NaN(), math.NaN(), math.NaN()
	}
	return s
}

// rawInt reads one big-endian integer pixel.
func rawInt(b []byte, bitpix int) int64 {
	switch bitpix {
	case 8:
		return int64(b[0])
	case 16:
		return int64(int16(binary.BigEndian.Uint16(b)))
	case 32:
		return int64(int32(binary.BigEndian.Uint32(b)))
	case 64:
		return int64(binary.BigEndian.Uint64(b))
	}
	return 0
}

// compressionKeys are removed from a compressed HDU's header by ImageHeader.
var compressionKeys = map[string]bool{
	"ZIMAGE": true, "ZCMPTYPE": true, "ZBITPIX": true, "ZNAXIS": true, "ZQUANTIZ": true, "ZDITHER0": true,
	"ZSIMPLE": true, "ZTENSION": true, "ZEXTEND": true, "ZBLOCKED": true, "ZPCOUNT": true, "ZGCOUNT": true,
	"ZHECKSUM": true, "ZDATASUM": true, "ZMASKCMP": true, "ZBLANK": true, "ZSCALE": true, "ZZERO": true,
	"TFIELDS": true, "THEAP": true, "CHECKSUM": true, "DATASUM": true,
}

// ImageHeader returns the header of the image an HDU holds. For a primary or
// IMAGE HDU it is Header(). For a tile-compressed HDU it is the uncompressed
// image's header, as CFITSIO and astropy present it: BITPIX/NAXISn from
// ZBITPIX/ZNAXISn, ZTENSION/ZSIMPLE/ZPCOUNT/ZGCOUNT restored, ZHECKSUM and
// ZDATASUM as CHECKSUM and DATASUM, and the table and compression keywords
// removed. Use it for the image's WCS.
func (h *HDU) ImageHeader() *Header {
	if h.typ != TypeCompressedImage {
		return h.hdr
	}
	src := h.hdr
	out := &Header{}
	for _, c := range src.Cards {
		k := c.Key
		switch {
		case k == "XTENSION":
			if s, ok := src.Bool("ZSIMPLE"); ok && s {
				c = Card{Key: "SIMPLE", Kind: KindBool, Bool: true, Comment: "conforms to FITS standard", Offset: c.Offset}
			} else {
				ext := "IMAGE"
				if z, ok := src.String("ZTENSION"); ok {
					ext = z
				}
				c = Card{Key: "XTENSION", Kind: KindString, Str: ext, Comment: "image extension", Offset: c.Offset}
			}
		case k == "BITPIX" || k == "NAXIS" || k == "PCOUNT" || k == "GCOUNT":
			zk := "Z" + k
			if zc, ok := src.Card(zk); ok {
				zc.Key = k
				c = zc
			} else if k == "PCOUNT" {
				c = Card{Key: k, Kind: KindInt, Int: 0, Offset: c.Offset}
			} else if k == "GCOUNT" {
				c = Card{Key: k, Kind: KindInt, Int: 1, Float: 1, Offset: c.Offset}
			}
		case k == "ZHECKSUM" || k == "ZDATASUM":
			c.Key = k[1:]
		case k == "EXTNAME" && c.Str == "COMPRESSED_IMAGE":
			continue
		case compressionKeys[k], isIndexed(k, "NAXIS"), isIndexed(k, "ZNAXIS"), isIndexed(k, "ZTILE"),
			isIndexed(k, "ZNAME"), isIndexed(k, "ZVAL"), isIndexed(k, "TTYPE"), isIndexed(k, "TFORM"),
			isIndexed(k, "TUNIT"), isIndexed(k, "TDIM"), isIndexed(k, "TNULL"), isIndexed(k, "TSCAL"), isIndexed(k, "TZERO"):
			continue
		}
		c.Raw = c.Format()
		out.Append(c)
		if k == "NAXIS" {
			// NAXISn follow NAXIS, from ZNAXISn.
			n, _ := src.Int("ZNAXIS")
			for i := 1; i <= int(n) && i <= maxAxes; i++ {
				if zc, ok := src.Card(fmt.Sprintf("ZNAXIS%d", i)); ok {
					zc.Key = fmt.Sprintf("NAXIS%d", i)
					zc.Raw = zc.Format()
					out.Append(zc)
				}
			}
		}
	}
	return out
}

// isIndexed reports whether key is prefix followed by a decimal number.
func isIndexed(key, prefix string) bool {
	if len(key) <= len(prefix) || key[:len(prefix)] != prefix {
		return false
	}
	for _, ch := range key[len(prefix):] {
		if ch < '0' || ch > '9' {
			return false
		}
	}
	return true
}
