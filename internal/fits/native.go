package fits

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// littleEndianHost is true on little-endian machines (amd64, arm64, wasm).
var littleEndianHost = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// nativize turns an unscaled BITPIX -32 image's big-endian bytes into native
// float32 values in place (no second 4-byte-per-pixel buffer: WebAssembly
// memory never shrinks, and this is the viewer's hot path). After it, m.f32
// holds the pixels and m.raw is nil.
func (m *Image) nativize() {
	if m.Bitpix != -32 || m.scaled() || len(m.raw) < 4 || m.f32 != nil {
		return
	}
	b := m.raw
	p := unsafe.Pointer(&b[0])
	if uintptr(p)%4 != 0 {
		return // keep the big-endian form; never expected from make
	}
	if littleEndianHost {
		swap32InPlace(b)
	}
	m.f32 = unsafe.Slice((*float32)(p), len(b)/4)
	m.raw = nil
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
