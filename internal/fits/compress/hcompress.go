package compress

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// hcMagic is the two-byte signature that starts every HCOMPRESS stream.
var hcMagic = [2]byte{0xDD, 0x99}

// hcHeaderLen is the size of the fixed stream header: magic, two int32
// dimensions, int32 scale, int64 sum of all pixels, three bit-plane counts.
const hcHeaderLen = 2 + 4 + 4 + 4 + 8 + 3

// maxBitPlanes bounds the bit-plane counts of a stream: coefficients are
// held in int64, so more than 63 planes cannot come from a valid encoder.
const maxBitPlanes = 63

// HCompress decodes one HCOMPRESS_1 tile into out and returns the tile
// shape: nx is the length of the fastest-varying axis (the image's NAXIS1
// direction, i.e. ZTILE1 for a full tile) and ny the number of rows
// (NAXIS2 direction); out[y*nx+x] holds pixel (x, y).
//
// Stream layout (all big-endian): magic 0xDD 0x99; int32 A; int32 B; int32
// scale; int64 sum of all pixels; three bytes with the number of bit planes
// of the quadrants; then the quadtree-coded bit planes of the H-transform
// coefficients, an end nybble 0, and (byte-aligned) one sign bit per
// non-zero coefficient. CFITSIO writes A = the number of rows (its "nx",
// the slow axis) and B = the row length (its "ny", the fast axis), so the
// returned nx is B and ny is A.
//
// If smooth is true (ZNAME "SMOOTH" with a non-zero value), the inverse
// H-transform interpolates the coefficients as CFITSIO's hsmooth does; this
// only changes the result when the stream's scale is at least 2 (lossy
// compression). Pixel values are computed in int64, as CFITSIO's
// fits_hdecompress64; CFITSIO truncates them to int32 afterwards, which
// callers decoding 8/16/32-bit images may do too.
//
// out must have room for nx*ny values; otherwise the error wraps
// ErrArgument. Malformed streams return an error wrapping ErrCorrupt.
func HCompress(src []byte, smooth bool, out []int64) (nx, ny int, err error) {
	if len(src) < hcHeaderLen {
		return 0, 0, fmt.Errorf("hcompress: stream of %d bytes shorter than the %d-byte header: %w", len(src), hcHeaderLen, ErrCorrupt)
	}
	if src[0] != hcMagic[0] || src[1] != hcMagic[1] {
		return 0, 0, fmt.Errorf("hcompress: bad magic %#02x %#02x (want 0xdd 0x99): %w", src[0], src[1], ErrCorrupt)
	}
	rows := int64(int32(binary.BigEndian.Uint32(src[2:])))
	cols := int64(int32(binary.BigEndian.Uint32(src[6:])))
	scale := int64(int32(binary.BigEndian.Uint32(src[10:])))
	sum := int64(binary.BigEndian.Uint64(src[14:]))
	planes := [3]int{int(src[22]), int(src[23]), int(src[24])}
	if rows <= 0 || cols <= 0 {
		return 0, 0, fmt.Errorf("hcompress: invalid tile dimensions %d x %d in header: %w", cols, rows, ErrCorrupt)
	}
	// rows, cols < 2^31, so the product cannot overflow int64.
	if rows*cols > int64(len(out)) {
		return 0, 0, fmt.Errorf("hcompress: tile of %d x %d pixels does not fit the %d-value output: %w", cols, rows, len(out), ErrArgument)
	}
	for q, p := range planes {
		if p > maxBitPlanes {
			return 0, 0, fmt.Errorf("hcompress: %d bit planes for quadrant group %d (at most %d): %w", p, q, maxBitPlanes, ErrCorrupt)
		}
	}
	nr, nc := int(rows), int(cols)
	a := out[:nr*nc]
	if err := hcDecode(src, hcHeaderLen, a, nr, nc, planes); err != nil {
		return 0, 0, err
	}
	a[0] = sum
	if scale > 1 {
		for i := range a {
			a[i] *= scale
		}
	}
	hcInverse(a, nr, nc, smooth, scale)
	return nc, nr, nil
}

// hcReader is an MSB-first bit reader with a 64-bit buffer. Bits past the
// end of the data read as zero; overrun() reports whether any were consumed.
type hcReader struct {
	src []byte
	pos int    // next byte to load (may exceed len(src): zero padding)
	buf uint64 // valid bits left-aligned; lower bits are zero or the next stream bits
	n   uint   // number of valid bits in buf
}

func (r *hcReader) fill() {
	r.pos, r.buf, r.n = refill(r.src, r.pos, r.buf, r.n)
}

// bits reads k <= 32 bits.
func (r *hcReader) bits(k uint) uint32 {
	if r.n < k {
		r.fill()
	}
	v := uint32(r.buf >> (64 - k))
	r.buf <<= k
	r.n -= k
	return v
}

// align discards the rest of the current byte (CFITSIO's start_inputing_bits).
func (r *hcReader) align() {
	d := r.n & 7
	r.buf <<= d
	r.n -= d
}

// overrun reports whether more bits were consumed than the stream holds.
func (r *hcReader) overrun() bool {
	return uint64(r.pos)*8-uint64(r.n) > uint64(len(r.src))*8
}

// huffman reads one quadtree code (4-bit value coded in 3 to 6 bits).
func (r *hcReader) huffman() uint8 {
	if r.n < 6 {
		r.fill()
	}
	e := hcHuff[r.buf>>58]
	r.buf <<= e.len
	r.n -= uint(e.len)
	return e.val
}

type hcCode struct{ val, len uint8 }

// hcHuff maps the next 6 bits of the stream to the decoded 4-bit quadtree
// value and the length of its code (R. White's fixed prefix code).
var hcHuff = func() (t [64]hcCode) {
	// code and length of each value 0..15
	codes := [16]struct{ c, l uint8 }{
		{0x3e, 6}, {0x00, 3}, {0x01, 3}, {0x08, 4}, {0x02, 3}, {0x09, 4}, {0x1a, 5}, {0x1b, 5},
		{0x03, 3}, {0x1c, 5}, {0x0a, 4}, {0x1d, 5}, {0x0b, 4}, {0x1e, 5}, {0x3f, 6}, {0x0c, 4},
	}
	for v, c := range codes {
		sh := 6 - c.l
		for low := 0; low < 1<<sh; low++ {
			t[int(c.c)<<sh|low] = hcCode{uint8(v), c.l}
		}
	}
	return t
}()

// hcDecode reads the four quadrants' bit planes and the sign bits into a
// (nr rows of nc values, zeroed here).
func hcDecode(src []byte, start int, a []int64, nr, nc int, planes [3]int) error {
	clear(a)
	r := hcReader{src: src, pos: start}
	nr2, nc2 := (nr+1)/2, (nc+1)/2
	// Scratch for the largest quadrant's quadtree levels.
	scratch := make([]uint8, max(1, (nr2+1)/2)*max(1, (nc2+1)/2))
	quads := [4]struct {
		off, nqx, nqy, planes int
	}{
		{0, nr2, nc2, planes[0]},
		{nc2, nr2, nc / 2, planes[1]},
		{nc * nr2, nr / 2, nc2, planes[1]},
		{nc*nr2 + nc2, nr / 2, nc / 2, planes[2]},
	}
	for q, qd := range quads {
		// An empty quadrant (a single row or column) may start past the end.
		if err := hcQtreeDecode(&r, a[min(qd.off, len(a)):], nc, qd.nqx, qd.nqy, qd.planes, scratch); err != nil {
			return fmt.Errorf("hcompress: quadrant %d: %w", q, err)
		}
	}
	if b := r.bits(4); b != 0 {
		return fmt.Errorf("hcompress: end-of-planes code is %d, want 0: %w", b, ErrCorrupt)
	}
	if r.overrun() {
		return fmt.Errorf("hcompress: stream of %d bytes ends inside the bit planes: %w", len(src), ErrCorrupt)
	}
	r.align()
	pos, buf, n := r.pos, r.buf, r.n
	for i, v := range a {
		if v == 0 {
			continue
		}
		if n == 0 {
			pos, buf, n = refill(src, pos, buf, n)
		}
		m := int64(buf) >> 63 // -1 if the sign bit is set
		a[i] = (v ^ m) - m
		buf <<= 1
		n--
	}
	r.pos, r.buf, r.n = pos, buf, n
	if r.overrun() {
		return fmt.Errorf("hcompress: stream of %d bytes ends inside the sign bits: %w", len(src), ErrCorrupt)
	}
	return nil
}

// hcQtreeDecode decodes nplanes bit planes of one quadrant of nqx rows by
// nqy columns, stored in a with row stride n.
func hcQtreeDecode(r *hcReader, a []int64, n, nqx, nqy, nplanes int, scratch []uint8) error {
	nqmax := max(nqx, nqy)
	log2n := 0
	if nqmax > 1 {
		log2n = bits.Len(uint(nqmax - 1))
	}
	for bit := nplanes - 1; bit >= 0; bit-- {
		switch r.bits(4) {
		case 0:
			// Bit plane written directly, 4 bits per 2x2 block.
			m := ((nqx + 1) / 2) * ((nqy + 1) / 2)
			for i := 0; i < m; i++ {
				scratch[i] = uint8(r.bits(4))
			}
		case 0xf:
			// Quadtree-coded: expand from one code to ((nqx+1)/2, (nqy+1)/2).
			scratch[0] = r.huffman()
			for k := 1; k < log2n; k++ {
				sh := uint(log2n - k)
				lx := max(1, (nqx+(1<<sh)-1)>>sh)
				ly := max(1, (nqy+(1<<sh)-1)>>sh)
				hcExpand(r, scratch, lx, ly)
			}
		default:
			return fmt.Errorf("bit plane %d: bad format code: %w", bit, ErrCorrupt)
		}
		if r.overrun() {
			return fmt.Errorf("bit plane %d: stream of %d bytes ended: %w", bit, len(r.src), ErrCorrupt)
		}
		hcBitIns(scratch, nqx, nqy, a, n, bit)
	}
	return nil
}

// hcExpand expands the codes of level ((nx+1)/2, (ny+1)/2), stored compactly
// at the start of s, to level (nx, ny): each code's 4 bits become a 2x2
// block of 0/1 flags, and every set flag is replaced by a code read from r.
func hcExpand(r *hcReader, s []uint8, nx, ny int) {
	nx2, ny2 := (nx+1)/2, (ny+1)/2
	// Spread codes to even positions, from the end (in-place).
	for i := nx2 - 1; i >= 0; i-- {
		src := s[i*ny2 : i*ny2+ny2]
		row := s[2*i*ny:]
		for j := ny2 - 1; j >= 0; j-- {
			row[2*j] = src[j]
		}
	}
	for i := 0; i < nx; i += 2 {
		r0 := s[i*ny : i*ny+ny]
		var r1 []uint8
		if i+1 < nx {
			r1 = s[(i+1)*ny : (i+1)*ny+ny]
		}
		for j := 0; j < ny; j += 2 {
			v := r0[j]
			r0[j] = v >> 3 & 1
			if j+1 < ny {
				r0[j+1] = v >> 2 & 1
			}
			if r1 != nil {
				r1[j] = v >> 1 & 1
				if j+1 < ny {
					r1[j+1] = v & 1
				}
			}
		}
	}
	for i := nx*ny - 1; i >= 0; i-- {
		if s[i] != 0 {
			s[i] = r.huffman()
		}
	}
}

// hcBitIns ORs bit plane `bit` into a (nqx rows, nqy columns, row stride n)
// from the 2x2-block codes in s (compact, ((nqx+1)/2) x ((nqy+1)/2)): code
// bit 3 goes to (i, j), bit 2 to (i, j+1), bit 1 to (i+1, j), bit 0 to
// (i+1, j+1).
func hcBitIns(s []uint8, nqx, nqy int, a []int64, n, bit int) {
	b := uint(bit)
	if b > 63 {
		return // the plane lies above int64; the encoder never writes it
	}
	ny2 := (nqy + 1) / 2
	full := nqy / 2 // blocks with two columns
	for i := 0; i < nqx; i += 2 {
		codes := s[(i/2)*ny2 : (i/2)*ny2+ny2]
		r0 := a[i*n : i*n+nqy]
		if i+1 < nqx {
			r1 := a[(i+1)*n : (i+1)*n+nqy]
			for k, v := range codes[:full] {
				if v == 0 {
					continue
				}
				p0 := r0[2*k : 2*k+2 : 2*k+2]
				p1 := r1[2*k : 2*k+2 : 2*k+2]
				p0[0] |= int64(v>>3&1) << b
				p0[1] |= int64(v>>2&1) << b
				p1[0] |= int64(v>>1&1) << b
				p1[1] |= int64(v&1) << b
			}
			if full < ny2 { // odd number of columns: last block has one
				v := codes[full]
				r0[2*full] |= int64(v>>3&1) << b
				r1[2*full] |= int64(v>>1&1) << b
			}
		} else {
			for k, v := range codes[:full] {
				p0 := r0[2*k : 2*k+2 : 2*k+2]
				p0[0] |= int64(v>>3&1) << b
				p0[1] |= int64(v>>2&1) << b
			}
			if full < ny2 {
				r0[2*full] |= int64(codes[full]>>3&1) << b
			}
		}
	}
}

// hcInverse applies the inverse H-transform in place to a (nr rows of nc
// values), optionally smoothing, as R. White's hinv.
func hcInverse(a []int64, nr, nc int, smooth bool, scale int64) {
	nmax := max(nr, nc)
	if nmax < 2 {
		return // a single pixel: the sum is the value
	}
	log2n := bits.Len(uint(nmax - 1))
	tmp := make([]int64, (nmax+1)/2)

	shift := uint(1)
	bit0 := int64(1) << uint(log2n-1)
	bit1 := bit0 << 1
	bit2 := bit0 << 2
	mask0 := -bit0
	mask1 := mask0 << 1
	mask2 := mask0 << 2
	prnd0 := bit0 >> 1
	prnd1 := bit1 >> 1
	prnd2 := bit2 >> 1
	nrnd0 := prnd0 - 1
	nrnd1 := prnd1 - 1
	nrnd2 := prnd2 - 1

	// Round h0 to a multiple of bit2.
	if a[0] >= 0 {
		a[0] = (a[0] + prnd2) & mask2
	} else {
		a[0] = (a[0] + nrnd2) & mask2
	}
	for k := log2n - 1; k >= 0; k-- {
		sh := uint(k)
		nxtop := (nr + (1 << sh) - 1) >> sh
		nytop := (nc + (1 << sh) - 1) >> sh
		adj0 := int64(-1) // nrnd0 - prnd0
		if k == 0 {
			nrnd0 = 0
			adj0 = 0
			shift = 2
		}
		for i := 0; i < nxtop; i++ {
			unshuffle(a[nc*i:], nytop, 1, tmp)
		}
		for j := 0; j < nytop; j++ {
			unshuffle(a[j:], nxtop, nc, tmp)
		}
		if smooth {
			hcSmooth(a, nxtop, nytop, nc, scale)
		}
		oddx, oddy := nxtop%2, nytop%2
		i := 0
		for ; i < nxtop-oddx; i += 2 {
			r0 := a[nc*i : nc*i+nytop]
			r1 := a[nc*(i+1) : nc*(i+1)+nytop]
			j := 0
			for ; j < nytop-oddy; j += 2 {
				p0 := r0[j : j+2 : j+2]
				p1 := r1[j : j+2 : j+2]
				h0, hy := p0[0], p0[1]
				hx, hc := p1[0], p1[1]
				// Round hx, hy to multiples of bit1, hc to a multiple of
				// bit0 (x>>63 is -1 for negative x: it selects nrnd = prnd-1).
				hx = (hx + prnd1 + hx>>63) & mask1
				hy = (hy + prnd1 + hy>>63) & mask1
				hc = (hc + prnd0 + (hc>>63)&adj0) & mask0
				// Propagate bit0 of hc to hx, hy (toward zero).
				lowbit0 := hc & bit0
				sx, sy := hx>>63, hy>>63
				hx -= (lowbit0 ^ sx) - sx
				hy -= (lowbit0 ^ sy) - sy
				// Propagate bits 0 and 1 of hc, hx, hy to h0.
				lowbit1 := (hc ^ hx ^ hy) & bit1
				if h0 >= 0 || lowbit0 != 0 {
					h0 += lowbit0 - lowbit1
				} else {
					h0 += lowbit1
				}
				p1[1] = (h0 + hx + hy + hc) >> shift
				p1[0] = (h0 + hx - hy - hc) >> shift
				p0[1] = (h0 - hx + hy - hc) >> shift
				p0[0] = (h0 - hx - hy + hc) >> shift
			}
			if oddy != 0 {
				h0, hx := r0[j], r1[j]
				if hx >= 0 {
					hx = (hx + prnd1) & mask1
				} else {
					hx = (hx + nrnd1) & mask1
				}
				lowbit1 := hx & bit1
				if h0 >= 0 {
					h0 -= lowbit1
				} else {
					h0 += lowbit1
				}
				r1[j] = (h0 + hx) >> shift
				r0[j] = (h0 - hx) >> shift
			}
		}
		if oddx != 0 {
			r0 := a[nc*i : nc*i+nytop]
			j := 0
			for ; j < nytop-oddy; j += 2 {
				h0, hy := r0[j], r0[j+1]
				if hy >= 0 {
					hy = (hy + prnd1) & mask1
				} else {
					hy = (hy + nrnd1) & mask1
				}
				lowbit1 := hy & bit1
				if h0 >= 0 {
					h0 -= lowbit1
				} else {
					h0 += lowbit1
				}
				r0[j+1] = (h0 + hy) >> shift
				r0[j] = (h0 - hy) >> shift
			}
			if oddy != 0 {
				r0[j] >>= shift
			}
		}
		// Halve the masks and rounding values.
		bit1 = bit0
		bit0 >>= 1
		mask1 = mask0
		mask0 >>= 1
		prnd1 = prnd0
		prnd0 >>= 1
		nrnd1 = nrnd0
		nrnd0 = prnd0 - 1
	}
}

// unshuffle interleaves the n elements a[0], a[stride], ...: the first
// half moves to the even positions and the second half to the odd ones.
func unshuffle(a []int64, n, stride int, tmp []int64) {
	half := (n + 1) >> 1
	t := tmp[:n-half]
	for i := range t {
		t[i] = a[(half+i)*stride]
	}
	for i := half - 1; i >= 0; i-- {
		a[2*i*stride] = a[i*stride]
	}
	for i, v := range t {
		a[(2*i+1)*stride] = v
	}
}

// hcSmooth adjusts the H-transform coefficients of the nxtop x nytop block
// (row stride ny) so that the image is smooth where the coefficients allow,
// changing none by more than scale/2 (R. White's hsmooth).
func hcSmooth(a []int64, nxtop, nytop, ny int, scale int64) {
	smax := scale >> 1
	if smax <= 0 {
		return
	}
	ny2 := ny << 1
	clamp := func(v, lo, hi int64) int64 { return max(min(v, hi), lo) }
	// divRound divides by 2^k rounding toward zero, as the C code does.
	divTrunc := func(s int64, k uint) int64 {
		if s >= 0 {
			return s >> k
		}
		return (s + (1<<k - 1)) >> k
	}
	// x differences hx
	for i := 2; i < nxtop-2; i += 2 {
		s00 := ny * i
		s10 := s00 + ny
		for j := 0; j < nytop; j += 2 {
			hm, h0, hp := a[s00-ny2], a[s00], a[s00+ny2]
			diff := hp - hm
			dmax := max(min(hp-h0, h0-hm), 0) << 2
			dmin := min(max(hp-h0, h0-hm), 0) << 2
			if dmin < dmax {
				diff = clamp(diff, dmin, dmax)
				s := divTrunc(diff-a[s10]<<3, 3)
				a[s10] += clamp(s, -smax, smax)
			}
			s00 += 2
			s10 += 2
		}
	}
	// y differences hy
	for i := 0; i < nxtop; i += 2 {
		s00 := ny*i + 2
		for j := 2; j < nytop-2; j += 2 {
			hm, h0, hp := a[s00-2], a[s00], a[s00+2]
			diff := hp - hm
			dmax := max(min(hp-h0, h0-hm), 0) << 2
			dmin := min(max(hp-h0, h0-hm), 0) << 2
			if dmin < dmax {
				diff = clamp(diff, dmin, dmax)
				s := divTrunc(diff-a[s00+1]<<3, 3)
				a[s00+1] += clamp(s, -smax, smax)
			}
			s00 += 2
		}
	}
	// curvature differences hc
	for i := 2; i < nxtop-2; i += 2 {
		s00 := ny*i + 2
		s10 := s00 + ny
		for j := 2; j < nytop-2; j += 2 {
			hmm, hpm := a[s00-ny2-2], a[s00+ny2-2]
			hmp, hpp := a[s00-ny2+2], a[s00+ny2+2]
			h0 := a[s00]
			diff := hpp + hmm - hmp - hpm
			hx2 := a[s10] << 1
			hy2 := a[s00+1] << 1
			m1 := min(max(hpp-h0, 0)-hx2-hy2, max(h0-hpm, 0)+hx2-hy2)
			m2 := min(max(h0-hmp, 0)-hx2+hy2, max(hmm-h0, 0)+hx2+hy2)
			dmax := min(m1, m2) << 4
			m1 = max(min(hpp-h0, 0)-hx2-hy2, min(h0-hpm, 0)+hx2-hy2)
			m2 = max(min(h0-hmp, 0)-hx2+hy2, min(hmm-h0, 0)+hx2+hy2)
			dmin := max(m1, m2) << 4
			if dmin < dmax {
				diff = clamp(diff, dmin, dmax)
				s := divTrunc(diff-a[s10+1]<<6, 6)
				a[s10+1] += clamp(s, -smax, smax)
			}
			s00 += 2
			s10 += 2
		}
	}
}
