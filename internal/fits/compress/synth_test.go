package compress

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// bitWriter is a test-only MSB-first bit writer.
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) put(v uint64, n uint) {
	for n > 0 {
		k := min(n, 32)
		n -= k
		w.acc = w.acc<<k | (v>>n)&(1<<k-1)
		w.nacc += k
		for w.nacc >= 8 {
			w.nacc -= 8
			w.out = append(w.out, byte(w.acc>>w.nacc))
		}
	}
}

func (w *bitWriter) flush() []byte {
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc<<(8-w.nacc)))
		w.nacc = 0
	}
	return w.out
}

// riceModes counts the block types a test encoding used.
type riceModes struct{ low, raw, coded int }

// riceEncode is a test-only RICE_1 encoder following the published fpack
// algorithm (block parameter chosen from the mean mapped difference). It
// lets the tests build streams with every block type and tile length.
func riceEncode(vals []int32, bytePix, blockSize int) ([]byte, riceModes) {
	var fsBits, fsMax, bBits uint
	switch bytePix {
	case 1:
		fsBits, fsMax, bBits = 3, 6, 8
	case 2:
		fsBits, fsMax, bBits = 4, 14, 16
	default:
		fsBits, fsMax, bBits = 5, 25, 32
	}
	mask := uint32(1)<<bBits - 1
	if bBits == 32 {
		mask = 0xffffffff
	}
	var w bitWriter
	var modes riceModes
	last := uint32(vals[0]) & mask
	w.put(uint64(last), bBits)
	diffs := make([]uint32, blockSize)
	for i := 0; i < len(vals); i += blockSize {
		blk := vals[i:min(i+blockSize, len(vals))]
		var sum uint64
		for j, v := range blk {
			cur := uint32(v) & mask
			d := (cur - last) & mask
			// sign-extend the width-bit difference, then zigzag-map it
			sd := int64(int32(d << (32 - bBits) >> 0))
			sd >>= 32 - bBits
			var m uint32
			if sd < 0 {
				m = uint32(^(sd << 1))
			} else {
				m = uint32(sd << 1)
			}
			diffs[j] = m & mask
			sum += uint64(diffs[j])
			last = cur
		}
		n := uint64(len(blk))
		dpsum := (float64(sum) - float64(n/2) - 1) / float64(n)
		if dpsum < 0 {
			dpsum = 0
		}
		psum := uint64(dpsum) >> 1
		fs := uint(0)
		for psum > 0 {
			psum >>= 1
			fs++
		}
		switch {
		case fs >= fsMax:
			modes.raw++
			w.put(uint64(fsMax+1), fsBits)
			for _, m := range diffs[:len(blk)] {
				w.put(uint64(m), bBits)
			}
		case fs == 0 && sum == 0:
			modes.low++
			w.put(0, fsBits)
		default:
			modes.coded++
			w.put(uint64(fs+1), fsBits)
			for _, m := range diffs[:len(blk)] {
				top := m >> fs
				for ; top > 0; top-- {
					w.put(0, 1)
				}
				w.put(1, 1)
				if fs > 0 {
					w.put(uint64(m)&(1<<fs-1), fs)
				}
			}
		}
	}
	return w.flush(), modes
}

// expectRice converts test values to what Rice must return for bytePix:
// int16 sign extension for 2, uint8 for 1.
func expectRice(vals []int32, bytePix int) []int32 {
	out := make([]int32, len(vals))
	for i, v := range vals {
		switch bytePix {
		case 1:
			out[i] = int32(uint8(v))
		case 2:
			out[i] = int32(int16(v))
		default:
			out[i] = v
		}
	}
	return out
}

func TestRiceHandVectors(t *testing.T) {
	cases := []struct {
		name      string
		src       []byte
		bytePix   int
		blockSize int
		n         int
		want      []int32
	}{
		// 3-bit code 0: low-entropy block, all equal to the first pixel.
		{"byte low entropy", []byte{0x07, 0x00}, 1, 32, 3, []int32{7, 7, 7}},
		// BYTEPIX 1 values are unsigned (CFITSIO reads them as TBYTE).
		{"byte unsigned", []byte{0xFE, 0x00}, 1, 32, 2, []int32{254, 254}},
		// BYTEPIX 2 values are sign-extended int16.
		{"short signed", []byte{0xFF, 0xFE, 0x00}, 2, 32, 2, []int32{-2, -2}},
		// Code 7 (fsmax+1) then raw 8-bit mapped differences +1 (2) and -1 (1):
		// 111 00000010 00000001.
		{"byte raw block", []byte{10, 0xE0, 0x40, 0x20}, 1, 32, 2, []int32{11, 10}},
		// BYTEPIX 4, code 00001 (fs=0): unary codes "1" (diff 0) and "01"
		// (mapped 1 = -1), "001" (mapped 2 = +1): 00001101 001.....
		{"int coded fs0", []byte{0, 0, 0, 100, 0x0D, 0x20}, 4, 32, 3, []int32{100, 99, 100}},
		// A single pixel.
		{"single pixel", []byte{0x80, 0x00, 0x00, 0x00, 0x00}, 4, 32, 1, []int32{-2147483648}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := make([]int32, c.n)
			if err := Rice(c.src, c.bytePix, c.blockSize, out); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(out, c.want) {
				t.Fatalf("got %v, want %v", out, c.want)
			}
		})
	}
}

func TestRiceRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func(n int) []int32{
		"constant": func(n int) []int32 {
			v := make([]int32, n)
			for i := range v {
				v[i] = -12345
			}
			return v
		},
		"noise": func(n int) []int32 { // full-range: raw blocks
			v := make([]int32, n)
			for i := range v {
				v[i] = int32(rng.Uint32())
			}
			return v
		},
		"smooth": func(n int) []int32 { // small differences: coded blocks
			v := make([]int32, n)
			x := int32(1000)
			for i := range v {
				x += int32(rng.IntN(41)) - 20
				v[i] = x
			}
			return v
		},
		"mixed": func(n int) []int32 { // runs, jumps and noise
			v := make([]int32, n)
			for i := range v {
				switch (i / 40) % 3 {
				case 0:
					v[i] = 7
				case 1:
					v[i] = int32(rng.Uint32())
				default:
					v[i] = int32(i * 3)
				}
			}
			return v
		},
	}
	total := riceModes{}
	for _, bytePix := range []int{1, 2, 4} {
		for _, bs := range []int{16, 32} {
			for _, n := range []int{1, 2, 31, 32, 33, 100, 1000} {
				for name, gen := range gens {
					vals := gen(n)
					src, modes := riceEncode(vals, bytePix, bs)
					total.low += modes.low
					total.raw += modes.raw
					total.coded += modes.coded
					out := make([]int32, n)
					if err := Rice(src, bytePix, bs, out); err != nil {
						t.Fatalf("bytePix %d bs %d n %d %s: %v", bytePix, bs, n, name, err)
					}
					if want := expectRice(vals, bytePix); !slices.Equal(out, want) {
						t.Fatalf("bytePix %d bs %d n %d %s: decoded differs", bytePix, bs, n, name)
					}
					// Any truncation must be reported, never decoded silently.
					for cut := 0; cut < len(src); cut += max(1, len(src)/7) {
						if err := Rice(src[:cut], bytePix, bs, out); !errors.Is(err, ErrCorrupt) {
							t.Fatalf("bytePix %d bs %d n %d %s cut %d/%d: err %v, want ErrCorrupt", bytePix, bs, n, name, cut, len(src), err)
						}
					}
				}
			}
		}
	}
	if total.low == 0 || total.raw == 0 || total.coded == 0 {
		t.Fatalf("block types not all exercised: %+v", total)
	}
}

func TestRiceErrors(t *testing.T) {
	good, _ := riceEncode([]int32{1, 2, 3, 4}, 2, 32)
	// First pixel, code 00001 (fs = 0), then zeros to the end: the unary
	// code of the first difference never terminates.
	zeroRun := make([]byte, 64)
	zeroRun[4] = 0x08
	cases := []struct {
		name      string
		src       []byte
		bytePix   int
		blockSize int
		n         int
		want      error
	}{
		{"empty", nil, 4, 32, 10, ErrCorrupt},
		{"short first pixel", []byte{1, 2}, 4, 32, 10, ErrCorrupt},
		{"bytepix 3", good, 3, 32, 4, ErrArgument},
		{"bytepix 8", good, 8, 32, 4, ErrArgument},
		{"blocksize 0", good, 2, 0, 4, ErrArgument},
		{"blocksize negative", good, 2, -5, 4, ErrArgument},
		{"header only", good[:2], 2, 32, 4, ErrCorrupt},
		{"too many pixels", good, 2, 32, 100, ErrCorrupt},
		{"endless zero run", zeroRun, 4, 32, 64, ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Rice(c.src, c.bytePix, c.blockSize, make([]int32, c.n))
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

// hcHeader builds an HCOMPRESS stream header.
func hcHeader(rows, cols, scale int32, sum int64, planes [3]byte) []byte {
	b := []byte{0xDD, 0x99}
	b = binary.BigEndian.AppendUint32(b, uint32(rows))
	b = binary.BigEndian.AppendUint32(b, uint32(cols))
	b = binary.BigEndian.AppendUint32(b, uint32(scale))
	b = binary.BigEndian.AppendUint64(b, uint64(sum))
	return append(b, planes[:]...)
}

func TestHCompressSinglePixel(t *testing.T) {
	// 1x1 tile: no bit planes, end code 0, the value is the stored sum.
	src := append(hcHeader(1, 1, 0, -42, [3]byte{}), 0x00)
	out := make([]int64, 1)
	nx, ny, err := HCompress(src, false, out)
	if err != nil {
		t.Fatal(err)
	}
	if nx != 1 || ny != 1 || out[0] != -42 {
		t.Fatalf("got %dx%d %v, want 1x1 [-42]", nx, ny, out)
	}
}

func TestHCompressErrors(t *testing.T) {
	ok := append(hcHeader(1, 1, 0, 5, [3]byte{}), 0x00)
	badMagic := slices.Clone(ok)
	badMagic[0] = 0x1F
	cases := []struct {
		name string
		src  []byte
		nout int
		want error
	}{
		{"empty", nil, 1, ErrCorrupt},
		{"short header", ok[:20], 1, ErrCorrupt},
		{"bad magic", badMagic, 1, ErrCorrupt},
		{"zero rows", append(hcHeader(0, 5, 0, 0, [3]byte{}), 0), 10, ErrCorrupt},
		{"negative cols", append(hcHeader(5, -1, 0, 0, [3]byte{}), 0), 10, ErrCorrupt},
		{"huge tile", append(hcHeader(1<<31-1, 1<<31-1, 0, 0, [3]byte{}), 0), 10, ErrArgument},
		{"out too small", append(hcHeader(4, 4, 0, 0, [3]byte{}), 0), 15, ErrArgument},
		{"too many planes", append(hcHeader(2, 2, 0, 0, [3]byte{64, 0, 0}), 0), 4, ErrCorrupt},
		{"bad plane code", append(hcHeader(2, 2, 0, 0, [3]byte{1, 0, 0}), 0x30), 4, ErrCorrupt},
		{"missing end code", append(hcHeader(1, 1, 0, 0, [3]byte{}), 0x50), 1, ErrCorrupt},
		{"no bit planes data", hcHeader(8, 8, 0, 0, [3]byte{5, 5, 5}), 64, ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := HCompress(c.src, false, make([]int64, c.nout))
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

// TestHCompressTruncatedReal cuts a real tile at many points: each cut must
// return an error (never panic), and smoothing must not change a lossless
// (scale 0) tile.
func TestHCompressTruncatedReal(t *testing.T) {
	ct := openCompressed(t, readHDUs(t, "ccdproc_a8280271_hcomp.fits.fz")[1])
	src := ct.tile(t, 3)
	out := make([]int64, 536*16)
	nx, ny, err := HCompress(src, false, out)
	if err != nil || nx != 536 || ny != 16 {
		t.Fatalf("full tile: %dx%d %v", nx, ny, err)
	}
	want := slices.Clone(out)
	if _, _, err := HCompress(src, true, out); err != nil || !slices.Equal(out, want) {
		t.Fatalf("smoothing changed a lossless tile (err %v)", err)
	}
	for cut := 0; cut < len(src); cut += 1 + cut/8 {
		if _, _, err := HCompress(src[:cut], false, out); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("cut at %d of %d: err %v, want ErrCorrupt", cut, len(src), err)
		}
	}
}

func TestPLIO(t *testing.T) {
	words := func(ws ...int) []byte {
		var b []byte
		for _, w := range ws {
			b = binary.BigEndian.AppendUint16(b, uint16(int16(w)))
		}
		return b
	}
	// New-format header: word 2 = header length 7, word 3 negative,
	// words 4,5 = list length (low 15 bits, high part).
	hdr := func(n int) []int {
		return []int{0, 7, -100, n & 0x7fff, n >> 15, 0, 0}
	}
	list := func(ins ...int) []byte {
		return words(append(hdr(7+len(ins)), ins...)...)
	}
	cases := []struct {
		name string
		src  []byte
		n    int
		want []int32
	}{
		// 3 zeros, then 2 pixels of the default value 1 (opcode 4).
		{"zero run and fill", list(0<<12|3, 4<<12|2), 6, []int32{0, 0, 0, 1, 1, 0}},
		// Set value 5 (opcode 1 with high word 0), run of 3.
		{"set value", list(1<<12|5, 0, 4<<12|3), 3, []int32{5, 5, 5}},
		// Two-word value (1<<12)+7 = 4103.
		{"set high value", list(1<<12|7, 1, 4<<12|2), 2, []int32{4103, 4103}},
		// pv += 2, -= 1 (opcodes 2, 3), then "2 zeros then pv" (opcode 5).
		{"add sub and PN", list(2<<12|2, 3<<12|1, 5<<12|3), 4, []int32{0, 0, 2, 0}},
		// Single pixels with increments (opcodes 6, 7).
		{"single pixels", list(6<<12|4, 7<<12|2, 6<<12|10), 3, []int32{5, 3, 13}},
		// The list covers more pixels than the tile: clipped.
		{"clipped", list(4<<12 | 100), 3, []int32{1, 1, 1}},
		// Old-format header: word 3 is the length, instructions from word 4.
		{"old format", words(0, 0, 5, 0<<12|1, 4<<12|2), 4, []int32{0, 1, 1, 0}},
		// Run of length 0 makes no progress but does not loop.
		{"zero length run", list(4<<12, 4<<12|1), 2, []int32{1, 0}},
		// Single pixel tile.
		{"single", list(4<<12 | 1), 1, []int32{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := make([]int32, c.n)
			for i := range out {
				out[i] = -99 // must be overwritten
			}
			if err := PLIO(c.src, out); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(out, c.want) {
				t.Fatalf("got %v, want %v", out, c.want)
			}
		})
	}
	errCases := []struct {
		name string
		src  []byte
	}{
		{"empty", nil},
		{"odd length", []byte{0, 7, 0}},
		{"short new header", words(0, 7, -100, 9)},
		{"length beyond data", words(0, 7, -100, 20, 0, 0, 0, 4<<12|1)},
		{"zero length", words(0, 7, -100, 0, 0, 0, 0)},
		{"set value without second word", list(1<<12 | 5)},
	}
	for _, c := range errCases {
		t.Run(c.name, func(t *testing.T) {
			if err := PLIO(c.src, make([]int32, 4)); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
		})
	}
}
