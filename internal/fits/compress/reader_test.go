package compress

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// This file holds a minimal, test-only reader of tile-compressed FITS HDUs:
// just enough to pull the COMPRESSED_DATA heap arrays out of the real files
// in testdata/fitscodec and to read the uncompressed originals. The real
// reader lives in package fits.

const dataDir = "../../../testdata/fitscodec"

type testHDU struct {
	hdr  *testHeader
	data []byte // data unit (table + heap), unpadded
}

// readHDUs splits a FITS file into header+data units.
func readHDUs(t testing.TB, name string) []testHDU {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var hdus []testHDU
	off := 0
	for off < len(b) {
		end := -1
		for p := off; p+80 <= len(b); p += 80 {
			if string(b[p:p+8]) == "END     " {
				end = p
				break
			}
		}
		if end < 0 {
			break
		}
		h, err := parseTestHeader(b[off : end+80])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dstart := (end/2880 + 1) * 2880
		bitpix, _ := h.Int("BITPIX")
		naxis, _ := h.Int("NAXIS")
		n := int64(0)
		if naxis > 0 {
			n = 1
			for i := 1; i <= int(naxis); i++ {
				v, _ := h.Int("NAXIS" + strconv.Itoa(i))
				n *= v
			}
		}
		pcount, _ := h.Int("PCOUNT")
		gcount, ok := h.Int("GCOUNT")
		if !ok {
			gcount = 1
		}
		size := int(abs64(bitpix) / 8 * gcount * (pcount + n))
		if dstart+size > len(b) {
			t.Fatalf("%s: HDU %d truncated", name, len(hdus))
		}
		hdus = append(hdus, testHDU{hdr: h, data: b[dstart : dstart+size]})
		off = dstart + (size+2879)/2880*2880
	}
	return hdus
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// column describes one binary-table column.
type column struct {
	offset int
	code   byte // TFORM type letter
	elem   byte // element type of a P/Q descriptor
}

func tformSize(code byte, repeat int) int {
	switch code {
	case 'L', 'B', 'A':
		return repeat
	case 'X':
		return (repeat + 7) / 8
	case 'I':
		return 2 * repeat
	case 'J', 'E':
		return 4 * repeat
	case 'K', 'D', 'C', 'P':
		return 8 * repeat
	case 'M', 'Q':
		return 16 * repeat
	}
	return -1
}

func columns(t testing.TB, h *testHeader) map[string]column {
	t.Helper()
	nf, _ := h.Int("TFIELDS")
	cols := map[string]column{}
	off := 0
	for i := 1; i <= int(nf); i++ {
		form, _ := h.String("TFORM" + strconv.Itoa(i))
		name, _ := h.String("TTYPE" + strconv.Itoa(i))
		form = strings.TrimSpace(form)
		j := 0
		for j < len(form) && form[j] >= '0' && form[j] <= '9' {
			j++
		}
		repeat := 1
		if j > 0 {
			repeat, _ = strconv.Atoi(form[:j])
		}
		c := column{offset: off, code: form[j]}
		if (c.code == 'P' || c.code == 'Q') && j+1 < len(form) {
			c.elem = form[j+1]
		}
		sz := tformSize(c.code, repeat)
		if sz < 0 {
			t.Fatalf("unsupported TFORM %q", form)
		}
		cols[strings.ToUpper(strings.TrimSpace(name))] = c
		off += sz
	}
	return cols
}

// compressedTable gives access to the tiles of a ZIMAGE HDU.
type compressedTable struct {
	hdr             *testHeader
	rows, rowLen    int
	table, heap     []byte
	cols            map[string]column
	znaxis, ztile   []int
	cmptype         string
	zbitpix         int
	zvals           map[string]float64
	zblank          int64
	hasZBlank       bool
	zbzero, zbscale float64
}

func openCompressed(t testing.TB, h testHDU) *compressedTable {
	t.Helper()
	if ok, _ := h.hdr.Bool("ZIMAGE"); !ok {
		t.Fatal("not a ZIMAGE HDU")
	}
	ct := &compressedTable{hdr: h.hdr, zvals: map[string]float64{}}
	n1, _ := h.hdr.Int("NAXIS1")
	n2, _ := h.hdr.Int("NAXIS2")
	ct.rowLen, ct.rows = int(n1), int(n2)
	ct.table = h.data[:ct.rowLen*ct.rows]
	heapOff := int64(ct.rowLen * ct.rows)
	if v, ok := h.hdr.Int("THEAP"); ok {
		heapOff = v
	}
	ct.heap = h.data[heapOff:]
	ct.cols = columns(t, h.hdr)
	zn, _ := h.hdr.Int("ZNAXIS")
	for i := 1; i <= int(zn); i++ {
		v, _ := h.hdr.Int("ZNAXIS" + strconv.Itoa(i))
		ct.znaxis = append(ct.znaxis, int(v))
		tv, ok := h.hdr.Int("ZTILE" + strconv.Itoa(i))
		if !ok {
			tv = 1
			if i == 1 {
				tv = v
			}
		}
		ct.ztile = append(ct.ztile, int(tv))
	}
	ct.cmptype, _ = h.hdr.String("ZCMPTYPE")
	zb, _ := h.hdr.Int("ZBITPIX")
	ct.zbitpix = int(zb)
	for i := 1; ; i++ {
		name, ok := h.hdr.String("ZNAME" + strconv.Itoa(i))
		if !ok {
			break
		}
		v, _ := h.hdr.Float("ZVAL" + strconv.Itoa(i))
		ct.zvals[strings.ToUpper(strings.TrimSpace(name))] = v
	}
	ct.zblank, ct.hasZBlank = h.hdr.Int("ZBLANK")
	ct.zbscale, ct.zbzero = 1, 0
	if v, ok := h.hdr.Float("BSCALE"); ok {
		ct.zbscale = v
	}
	if v, ok := h.hdr.Float("BZERO"); ok {
		ct.zbzero = v
	}
	if v, ok := h.hdr.Float("ZBSCALE"); ok {
		ct.zbscale = v
	}
	if v, ok := h.hdr.Float("ZBZERO"); ok {
		ct.zbzero = v
	}
	return ct
}

// tile returns the raw bytes of the COMPRESSED_DATA heap array of row r.
func (ct *compressedTable) tile(t testing.TB, r int) []byte {
	t.Helper()
	c, ok := ct.cols["COMPRESSED_DATA"]
	if !ok {
		t.Fatal("no COMPRESSED_DATA column")
	}
	row := ct.table[r*ct.rowLen:]
	var count, off int64
	switch c.code {
	case 'P':
		count = int64(int32(binary.BigEndian.Uint32(row[c.offset:])))
		off = int64(int32(binary.BigEndian.Uint32(row[c.offset+4:])))
	case 'Q':
		count = int64(binary.BigEndian.Uint64(row[c.offset:]))
		off = int64(binary.BigEndian.Uint64(row[c.offset+8:]))
	default:
		t.Fatalf("COMPRESSED_DATA has TFORM code %c", c.code)
	}
	esz := int64(tformSize(c.elem, 1))
	if off < 0 || count < 0 || off+count*esz > int64(len(ct.heap)) {
		t.Fatalf("row %d: descriptor (%d,%d) outside heap of %d bytes", r, count, off, len(ct.heap))
	}
	return ct.heap[off : off+count*esz]
}

// float64Col reads a scalar 'D' column of row r (ZSCALE, ZZERO).
func (ct *compressedTable) float64Col(r int, name string) (float64, bool) {
	c, ok := ct.cols[name]
	if !ok || c.code != 'D' {
		return 0, false
	}
	row := ct.table[r*ct.rowLen:]
	return math.Float64frombits(binary.BigEndian.Uint64(row[c.offset:])), true
}

// tileGeom returns the pixel origin and shape (2-D) of tile r.
func (ct *compressedTable) tileGeom(r int) (x0, y0, w, h int) {
	ntx := (ct.znaxis[0] + ct.ztile[0] - 1) / ct.ztile[0]
	tx, ty := r%ntx, r/ntx
	x0, y0 = tx*ct.ztile[0], ty*ct.ztile[1]
	w = min(ct.ztile[0], ct.znaxis[0]-x0)
	h = min(ct.ztile[1], ct.znaxis[1]-y0)
	return
}

// decodeTile decodes tile r with the decoder named by ZCMPTYPE into w*h
// integers (FITS order, x fastest).
func (ct *compressedTable) decodeTile(t testing.TB, r int) []int64 {
	t.Helper()
	_, _, w, h := ct.tileGeom(r)
	src := ct.tile(t, r)
	npix := w * h
	res := make([]int64, npix)
	switch strings.TrimSpace(ct.cmptype) {
	case "RICE_1", "RICE_ONE":
		bp, bs := 4, 32
		if v, ok := ct.zvals["BYTEPIX"]; ok {
			bp = int(v)
		}
		if v, ok := ct.zvals["BLOCKSIZE"]; ok {
			bs = int(v)
		}
		out := make([]int32, npix)
		if err := Rice(src, bp, bs, out); err != nil {
			t.Fatalf("tile %d: %v", r, err)
		}
		for i, v := range out {
			res[i] = int64(v)
		}
	case "HCOMPRESS_1":
		smooth := ct.zvals["SMOOTH"] != 0
		nx, ny, err := HCompress(src, smooth, res)
		if err != nil {
			t.Fatalf("tile %d: %v", r, err)
		}
		if nx != w || ny != h {
			t.Fatalf("tile %d: HCompress returned %dx%d, tile is %dx%d", r, nx, ny, w, h)
		}
	case "PLIO_1":
		out := make([]int32, npix)
		if err := PLIO(src, out); err != nil {
			t.Fatalf("tile %d: %v", r, err)
		}
		for i, v := range out {
			res[i] = int64(v)
		}
	default:
		t.Fatalf("unsupported ZCMPTYPE %q", ct.cmptype)
	}
	return res
}

// image decodes all tiles and reassembles the raw integer image (2-D).
func (ct *compressedTable) image(t testing.TB) []int64 {
	t.Helper()
	nx, ny := ct.znaxis[0], ct.znaxis[1]
	img := make([]int64, nx*ny)
	for r := 0; r < ct.rows; r++ {
		x0, y0, w, h := ct.tileGeom(r)
		vals := ct.decodeTile(t, r)
		for y := 0; y < h; y++ {
			copy(img[(y0+y)*nx+x0:(y0+y)*nx+x0+w], vals[y*w:(y+1)*w])
		}
	}
	return img
}

// rawPixels returns the raw integer pixels of an uncompressed integer HDU.
func rawPixels(t testing.TB, h testHDU) []int64 {
	t.Helper()
	bitpix, _ := h.hdr.Int("BITPIX")
	var out []int64
	switch bitpix {
	case 8:
		for _, b := range h.data {
			out = append(out, int64(b))
		}
	case 16:
		for i := 0; i+2 <= len(h.data); i += 2 {
			out = append(out, int64(int16(binary.BigEndian.Uint16(h.data[i:]))))
		}
	case 32:
		for i := 0; i+4 <= len(h.data); i += 4 {
			out = append(out, int64(int32(binary.BigEndian.Uint32(h.data[i:]))))
		}
	default:
		t.Fatalf("rawPixels: BITPIX %d", bitpix)
	}
	return out
}

// floatPixels returns the pixels of an uncompressed BITPIX -32 HDU.
func floatPixels(t testing.TB, h testHDU) []float64 {
	t.Helper()
	if bp, _ := h.hdr.Int("BITPIX"); bp != -32 {
		t.Fatalf("floatPixels: BITPIX %d", bp)
	}
	out := make([]float64, len(h.data)/4)
	for i := range out {
		out[i] = float64(math.Float32frombits(binary.BigEndian.Uint32(h.data[4*i:])))
	}
	return out
}

// truth holds the parts of fits_images.json used here.
type truthHDU struct {
	Index       int    `json:"index"`
	SHA256RawBE string `json:"sha256_raw_be"`
	Expected    struct {
		SHA256F64BE string `json:"sha256_f64be"`
		NNaN        int    `json:"n_nan"`
		NPixels     int    `json:"n_pixels"`
	} `json:"expected"`
	Compression *struct {
		ZCMPTYPE string `json:"ZCMPTYPE"`
		ZTILE    []int  `json:"ZTILE"`
	} `json:"compression"`
}

func loadTruth(t testing.TB, file string, index int) truthHDU {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "fits_images.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files []struct {
			File string     `json:"file"`
			HDUs []truthHDU `json:"hdus"`
		} `json:"files"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, f := range doc.Files {
		if f.File == file {
			for _, h := range f.HDUs {
				if h.Index == index {
					return h
				}
			}
		}
	}
	t.Fatalf("no truth for %s HDU %d", file, index)
	return truthHDU{}
}

// sha256Raw hashes raw integer pixels as stored with the given BITPIX
// (big-endian), as the truth's sha256_raw_be.
func sha256Raw(img []int64, bitpix int) string {
	var buf []byte
	for _, v := range img {
		switch bitpix {
		case 8:
			buf = append(buf, uint8(v))
		case 16:
			buf = binary.BigEndian.AppendUint16(buf, uint16(v))
		case 32:
			buf = binary.BigEndian.AppendUint32(buf, uint32(v))
		}
	}
	s := sha256.Sum256(buf)
	return hex.EncodeToString(s[:])
}

func sha256Raw16(img []int64) string { return sha256Raw(img, 16) }

// sha256PhysF64 hashes BZERO + BSCALE*raw as big-endian float64, as sha256_f64be.
func sha256PhysF64(img []int64, bscale, bzero float64) string {
	var buf bytes.Buffer
	var w [8]byte
	for _, v := range img {
		p := float64(v) * bscale
		p += bzero
		binary.BigEndian.PutUint64(w[:], math.Float64bits(p))
		buf.Write(w[:])
	}
	s := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(s[:])
}

func firstDiff(a, b []int64) string {
	if len(a) != len(b) {
		return fmt.Sprintf("length %d vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			return fmt.Sprintf("pixel %d: %d vs %d", i, a[i], b[i])
		}
	}
	return ""
}
