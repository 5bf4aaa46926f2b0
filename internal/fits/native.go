package fits

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// littleEndianHost is true on little-endian machines (amd64, arm64, wasm).
var littleEndianHost = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// FiniteBlock is the number of pixels each count of Image.FiniteCounts covers.
const FiniteBlock = 512

// FiniteCounts returns, for an unscaled BITPIX -32 image with no missing
// pixel, the number of finite values in each block of FiniteBlock pixels
// (the last block may be shorter), counted while the pixels were put in
// native byte order; nil otherwise. A caller that samples the finite values
// (ZScale) can then skip its own pass over every value.
func (m *Image) FiniteCounts() []int32 {
	if m.nulls != nil {
		return nil
	}
	return m.finite
}

// nativize turns an unscaled BITPIX -32 image's big-endian bytes into native
// float32 values in place (no second 4-byte-per-pixel buffer: WebAssembly
// memory never shrinks, and this is the viewer's hot path), counting the
// finite values per FiniteBlock pixels on the way. After it, m.f32 holds the
// pixels and m.raw is nil.
func (m *Image) nativize() {
	if m.Bitpix != -32 || m.scaled() || len(m.raw) < 4 || m.f32 != nil {
		return
	}
	b := m.raw
	p := unsafe.Pointer(&b[0])
	if uintptr(p)%4 != 0 {
		return // keep the big-endian form; never expected from make
	}
	m.finite = make([]int32, (len(b)/4+FiniteBlock-1)/FiniteBlock)
	if littleEndianHost {
		swap32Count(b, m.finite)
	} else {
		countFinite32(unsafe.Slice((*uint32)(p), len(b)/4), m.finite)
	}
	m.f32 = unsafe.Slice((*float32)(p), len(b)/4)
	m.raw = nil
}

// Finite float32 values are those whose exponent bits are not all set:
// (w&exp32)^exp32 is 0 only for an infinity or a NaN, and adding 2³¹-1 to it
// sets bit 31 otherwise (no carry out of 32 bits, so two values packed in a
// uint64 are counted at once).
const (
	exp32   = 0x7f800000
	exp64   = exp32<<32 | exp32
	carry32 = 0x7fffffff
	carry64 = carry32<<32 | carry32
)

// finite32 is 1 when the float32 of bits x is finite, else 0.
func finite32(x uint32) uint32 { return ((x & exp32) ^ exp32 + carry32) >> 31 }

// countFinite32 counts the finite values among native float32 bits w per
// FiniteBlock values into counts.
func countFinite32(w []uint32, counts []int32) {
	for k := range counts {
		var n uint32
		for _, x := range w[k*FiniteBlock : min(len(w), (k+1)*FiniteBlock)] {
			n += finite32(x)
		}
		counts[k] = int32(n)
	}
}

// swap32Count is swap32InPlace that also counts the finite float32 values of
// the swapped words per FiniteBlock words into counts (len(counts) =
// ceil(len(b)/4 / FiniteBlock)): one pass over the pixels instead of two.
func swap32Count(b []byte, counts []int32) {
	n := len(b) / 4
	p := unsafe.Pointer(&b[0])
	if uintptr(p)%8 != 0 || FiniteBlock%2 != 0 {
		swap32InPlace(b)
		countFinite32(unsafe.Slice((*uint32)(p), n), counts)
		return
	}
	u := unsafe.Slice((*uint64)(p), n/2)
	const m8 = 0x00FF00FF00FF00FF
	const m16 = 0x0000FFFF0000FFFF
	for k := range counts {
		var c uint64
		for j, x := range u[min(len(u), k*FiniteBlock/2):min(len(u), (k+1)*FiniteBlock/2)] {
			x = (x>>8)&m8 | (x&m8)<<8
			x = (x>>16)&m16 | (x&m16)<<16
			u[k*FiniteBlock/2+j] = x
			s := (x & exp64) ^ exp64 + carry64
			c += (s>>31)&1 + s>>63
		}
		counts[k] = int32(c)
	}
	if n%2 == 1 { // the last word
		w := b[4*(n-1) : 4*n]
		w[0], w[1], w[2], w[3] = w[3], w[2], w[1], w[0]
		x := binary.NativeEndian.Uint32(w)
		counts[len(counts)-1] += int32(finite32(x))
	}
}

// swap32InPlace reverses the bytes of every 32-bit word of b (len multiple of 4),
// two words at a time when b is 8-byte aligned.
func swap32InPlace(b []byte) {
	n := len(b) / 4
	i := 0
	if p := unsafe.Pointer(&b[0]); uintptr(p)%8 == 0 && n >= 2 {
		u := unsafe.Slice((*uint64)(p), n/2)
		const m8 = 0x00FF00FF00FF00FF
		const m16 = 0x0000FFFF0000FFFF
		for j, x := range u {
			x = (x>>8)&m8 | (x&m8)<<8
			x = (x>>16)&m16 | (x&m16)<<16
			u[j] = x
		}
		i = 2 * len(u)
	}
	for ; i < n; i++ {
		w := b[4*i : 4*i+4]
		w[0], w[1], w[2], w[3] = w[3], w[2], w[1], w[0]
	}
}

// rawBytes returns the big-endian stored pixels, rebuilding them from native
// float32 values when the image holds those.
func (m *Image) rawBytes() []byte {
	if m.f32 == nil {
		return m.raw
	}
	out := make([]byte, 4*len(m.f32))
	for i, v := range m.f32 {
		binary.BigEndian.PutUint32(out[4*i:], math.Float32bits(v))
	}
	return out
}

// TakeFloat32 is Float32 for a caller that drops the image afterwards: the
// physical values of a BITPIX 32 image are written over its stored pixels
// (4 bytes each in both), so no second buffer of the image's size is made
// (64 MB for a 4096² plane). The image, and any image sharing its pixels
// (Image.Plane), must not be used after. For other BITPIX it is Float32.
func (m *Image) TakeFloat32() []float32 {
	if m.Bitpix != 32 || len(m.raw) < 4 || uintptr(unsafe.Pointer(&m.raw[0]))%4 != 0 {
		return m.Float32()
	}
	b := m.raw
	out := unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), len(b)/4)
	sc := m.intScaling()
	for i := range out {
		// the stored value is read before its bytes are overwritten
		out[i] = sc.float32(int64(int32(binary.BigEndian.Uint32(b[4*i:]))))
	}
	m.nullsF32(out, 0)
	m.raw = nil // the stored pixels are gone
	return out
}
