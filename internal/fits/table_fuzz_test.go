package fits

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// fuzzTableOpts keeps fuzzed allocations small.
var fuzzTableOpts = OpenOptions{MaxBytes: 1 << 20, MaxHeaderBytes: 1 << 16, MaxHDUs: 8}

// decodeAllTables opens b and decodes every table HDU, checking invariants.
func decodeAllTables(t *testing.T, b []byte) {
	f, err := OpenWithOptions(bytes.NewReader(b), int64(len(b)), fuzzTableOpts)
	if err != nil {
		return
	}
	for _, h := range f.Tables() {
		tab, err := h.Table()
		if err != nil {
			continue
		}
		cols, err := tab.ReadColumns()
		if cols == nil {
			if err == nil {
				t.Fatal("no columns and no error")
			}
			continue
		}
		for i, d := range cols {
			if d.Rows > int(tab.Rows) || (err == nil && d.Rows != int(tab.Rows)) {
				t.Fatalf("column %d: %d rows, table %d", i, d.Rows, tab.Rows)
			}
			if int64(d.Len()) > fuzzTableOpts.MaxBytes {
				t.Fatalf("column %d: %d elements beyond the cap", i, d.Len())
			}
			if d.Offsets != nil && (len(d.Offsets) != d.Rows+1 || d.Offsets[d.Rows] != d.Len()) {
				t.Fatalf("column %d: bad offsets", i)
			}
			if d.Null != nil && len(d.Null) != d.Len() {
				t.Fatalf("column %d: null mask length %d for %d elements", i, len(d.Null), d.Len())
			}
			for r := 0; r < d.Rows; r++ {
				lo, hi := d.Cell(r)
				if lo < 0 || hi < lo || hi > d.Len() {
					t.Fatalf("column %d row %d: cell [%d,%d) of %d", i, r, lo, hi, d.Len())
				}
			}
		}
	}
}

// FuzzTable: arbitrary files through Open, HDU.Table and ReadColumns.
func FuzzTable(f *testing.F) {
	f.Add(binTableFixture())
	for _, name := range []string{"astroquery_astrometry_source_list.fit", "topcat_863sub.fits"} {
		if b, err := os.ReadFile(tabDir + name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeAllTables(t, b)
	})
}

// FuzzTableColumn: one fuzzed column description (TFORM, TDIM, TNULL, TSCAL,
// TZERO, THEAP, binary or ASCII) over fuzzed row and heap bytes.
func FuzzTableColumn(f *testing.F) {
	f.Add(false, "1PJ(3)", "", "", 1.0, 0.0, 0, uint8(8), uint8(2), []byte("\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07\x00\x00\x00\x09"))
	f.Add(false, "6A", "(3,2)", "", 1.0, 0.0, 0, uint8(6), uint8(2), []byte("abcdefghijkl"))
	f.Add(false, "3I", "", "-1", 1.0, 32768.0, 0, uint8(6), uint8(1), []byte("\xff\xff\x00\x01\x80\x00"))
	f.Add(false, "1QE", "(2,2)", "", 2.0, 1.0, 16, uint8(16), uint8(1), bytes.Repeat([]byte{0, 0, 0, 0, 0, 0, 0, 1}, 6))
	f.Add(true, "F6.2", "", "NULL", 1.0, 0.0, 0, uint8(6), uint8(3), []byte("  1234  NULL1.5D+1"))
	f.Add(true, "I3", "", "", 0.5, 0.0, 0, uint8(4), uint8(2), []byte(" 12 -3 "))
	f.Fuzz(func(t *testing.T, ascii bool, form, dim, null string, tscal, tzero float64, theap int, rowLen, rows uint8, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		q := func(s string) string { // a string value without quotes or control bytes
			out := []byte{}
			for i := 0; i < len(s) && i < 40; i++ {
				if s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\'' {
					out = append(out, s[i])
				}
			}
			return string(out)
		}
		extra := []string{kv("TFIELDS", 1), kv("TFORM1", q(form)), kv("TTYPE1", "C")}
		if dim != "" {
			extra = append(extra, kv("TDIM1", q(dim)))
		}
		if null != "" {
			extra = append(extra, kv("TNULL1", q(null)))
		}
		extra = append(extra, fmt.Sprintf("%-8s= %20.12G", "TSCAL1", tscal), fmt.Sprintf("%-8s= %20.12G", "TZERO1", tzero))
		xt := "BINTABLE"
		if ascii {
			xt = "TABLE"
			extra = append(extra, kv("TBCOL1", 1))
		} else if theap > 0 {
			extra = append(extra, kv("THEAP", theap))
		}
		main := int(rowLen) * int(rows)
		pcount := 0
		if len(data) > main && !ascii {
			pcount = len(data) - main
		}
		decodeAllTables(t, tableFile(xt, int(rowLen), int(rows), pcount, extra, data))
	})
}
