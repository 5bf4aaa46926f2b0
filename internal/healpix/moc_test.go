package healpix

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

func readMOCFile(t *testing.T, name string) *MOC {
	t.Helper()
	b, err := os.ReadFile("../../testdata/healpix/" + name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadMOC(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

const skyDeg2 = 4 * math.Pi * (180 / math.Pi) * (180 / math.Pi)

func TestReadMOCReal(t *testing.T) {
	tests := []struct {
		file            string
		wantFrac        float64 // expected sky fraction
		tol             float64
		inside, outside [2]float64
	}{
		// Mellinger is a whole-sky panorama: its MOC is the 12 base cells.
		{"mellinger-Moc.fits", 1, 0, [2]float64{83.6, -5.4}, [2]float64{math.NaN(), 0}},
		// dirbe60: whole sky except 97 blank HEALPix pixels (PROVENANCE: MOC 99.99 %).
		{"dirbe60-Moc.fits", 0.9999, 0.00005, [2]float64{10, 10}, [2]float64{math.NaN(), 0}},
		// ngc1316: 51'x35' field, MOC at order 7 = 1.7 deg2 (PROVENANCE).
		{"ngc1316-Moc.fits", 1.7 / skyDeg2, 0.05 / skyDeg2, [2]float64{50.68846, -37.20245}, [2]float64{230.7, 37.2}},
	}
	for _, tc := range tests {
		m := readMOCFile(t, tc.file)
		f := m.SkyFraction()
		t.Logf("%s: max order %d, frame %s, %d ranges, sky fraction %.6f (%.4f deg2)", tc.file, m.MaxOrder(), m.Frame(), len(m.ranges), f, f*skyDeg2)
		if m.MaxOrder() != 7 || m.Frame() != "C" {
			t.Errorf("%s: MaxOrder %d frame %q, want 7 and C", tc.file, m.MaxOrder(), m.Frame())
		}
		if math.Abs(f-tc.wantFrac) > tc.tol {
			t.Errorf("%s: sky fraction %v, want %v ± %v", tc.file, f, tc.wantFrac, tc.tol)
		}
		if !m.ContainsAng(tc.inside[0], tc.inside[1]) {
			t.Errorf("%s: ContainsAng%v = false", tc.file, tc.inside)
		}
		if !math.IsNaN(tc.outside[0]) && m.ContainsAng(tc.outside[0], tc.outside[1]) {
			t.Errorf("%s: ContainsAng%v = true", tc.file, tc.outside)
		}
		// Cell tests at order 7 agree with the coverage fraction, and
		// Contains/FullyContains are consistent across orders.
		var full int64
		for p := int64(0); p < Npix(7); p++ {
			fc, c := m.FullyContains(7, p), m.Contains(7, p)
			if fc && !c {
				t.Fatalf("%s: cell 7/%d fully contained but not contained", tc.file, p)
			}
			if c != fc {
				t.Fatalf("%s: order-7 MOC cell 7/%d partially covered", tc.file, p)
			}
			if fc {
				full++
			}
			if par := p >> 2; c && !m.Contains(6, par) {
				t.Fatalf("%s: parent of covered cell not covered", tc.file)
			}
		}
		if got := float64(full) / float64(Npix(7)); got != f {
			t.Errorf("%s: %d fully covered order-7 cells = fraction %v, SkyFraction %v", tc.file, full, got, f)
		}
	}
	m := readMOCFile(t, "ngc1316-Moc.fits")
	cov := QueryDisc(9, 50.68846, -37.20245, 0.1, false)
	for _, p := range cov {
		if !m.Contains(9, p) {
			t.Errorf("ngc1316: centre-disc pixel 9/%d not covered", p)
		}
	}
	for _, bad := range [][2]int64{{-1, 0}, {30, 0}, {3, -1}, {3, 768}} {
		if m.Contains(int(bad[0]), bad[1]) || m.FullyContains(int(bad[0]), bad[1]) {
			t.Errorf("Contains(%v) = true for an invalid cell", bad)
		}
	}
	if m.ContainsAng(math.NaN(), 0) || m.ContainsAng(0, 91) {
		t.Error("ContainsAng accepted invalid coordinates")
	}
}

// buildMOC writes a minimal MOC FITS file with the given extra cards and
// column values.
func buildMOC(tform string, cards []string, vals []int64) []byte {
	card := func(s string) string { return fmt.Sprintf("%-80s", s) }
	block := func(cs []string) []byte {
		s := ""
		for _, c := range cs {
			s += card(c)
		}
		s += card("END")
		for len(s)%2880 != 0 {
			s += " "
		}
		return []byte(s)
	}
	width := 4
	if strings.Contains(tform, "K") {
		width = 8
	}
	out := block([]string{"SIMPLE  =                    T", "BITPIX  =                    8", "NAXIS   =                    0", "EXTEND  =                    T"})
	ext := []string{"XTENSION= 'BINTABLE'", "BITPIX  =                    8", "NAXIS   =                    2",
		fmt.Sprintf("NAXIS1  = %20d", width), fmt.Sprintf("NAXIS2  = %20d", len(vals)),
		"PCOUNT  =                    0", "GCOUNT  =                    1", "TFIELDS =                    1",
		fmt.Sprintf("TFORM1  = '%s'", tform)}
	out = append(out, block(append(ext, cards...))...)
	var data []byte
	for _, v := range vals {
		if width == 4 {
			data = binary.BigEndian.AppendUint32(data, uint32(v))
		} else {
			data = binary.BigEndian.AppendUint64(data, uint64(v))
		}
	}
	for len(data)%2880 != 0 {
		data = append(data, 0)
	}
	return append(out, data...)
}

func TestReadMOCSynthetic(t *testing.T) {
	uniq := func(o int, p int64) int64 { return 4<<(2*uint(o)) + p }
	good := []struct {
		name  string
		tform string
		cards []string
		vals  []int64
		frac  float64
		order int
	}{
		{"int32 nuniq", "1J", []string{"ORDERING= 'NUNIQ'", "MOCORDER=                    3"}, []int64{uniq(0, 4), uniq(3, 5)}, 1.0/12 + 1.0/768, 3},
		{"int64 nuniq deep", "1K", []string{"MOCVERS = '2.0'", "MOCDIM  = 'SPACE'", "ORDERING= 'NUNIQ'", "MOCORD_S=                   29"},
			[]int64{uniq(29, Npix(29)-1), uniq(1, 0), uniq(2, 0)}, 1.0/48 + 1.0/float64(Npix(29)), 29},
		{"range", "1K", []string{"MOCDIM  = 'SPACE'", "ORDERING= 'RANGE'"}, []int64{0, Npix(29) / 12}, 1.0 / 12, 29},
		{"no order keyword", "1J", nil, []int64{uniq(2, 7)}, 1.0 / 192, 2},
	}
	for _, tc := range good {
		m, err := ReadMOC(bytes.NewReader(buildMOC(tc.tform, tc.cards, tc.vals)))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if f := m.SkyFraction(); math.Abs(f-tc.frac) > 1e-15 || m.MaxOrder() != tc.order {
			t.Errorf("%s: fraction %v order %d, want %v %d", tc.name, f, m.MaxOrder(), tc.frac, tc.order)
		}
	}
	bad := []struct {
		name, want string
		data       []byte
	}{
		{"empty", "missing", nil},
		{"not fits", "first card is not SIMPLE", bytes.Repeat([]byte("x"), 2880)},
		{"time moc", "MOCDIM", buildMOC("1K", []string{"MOCDIM  = 'TIME'"}, []int64{4})},
		{"bad uniq", "NUNIQ 3", buildMOC("1J", nil, []int64{3})},
		{"negative", "NUNIQ -5", buildMOC("1J", nil, []int64{-5})},
		{"bad tform", "TFORM1", buildMOC("1E", nil, []int64{4})},
		{"bad ordering", "ORDERING", buildMOC("1J", []string{"ORDERING= 'RING'"}, []int64{4})},
		{"odd range", "even number", buildMOC("1K", []string{"ORDERING= 'RANGE'"}, []int64{4})},
		{"bad range", "invalid order-29 range", buildMOC("1K", []string{"ORDERING= 'RANGE'"}, []int64{5, 4})},
		{"bad order kw", "MOCORDER", buildMOC("1J", []string{"MOCORDER=                   30"}, []int64{4})},
		{"truncated", "truncated", buildMOC("1J", nil, []int64{4, 5, 6})[:2880*2+4]},
	}
	for _, tc := range bad {
		_, err := ReadMOC(bytes.NewReader(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	// A header claiming a huge table must not allocate it.
	huge := buildMOC("1K", nil, []int64{4})
	huge = bytes.Replace(huge, []byte(fmt.Sprintf("NAXIS2  = %20d", 1)), []byte(fmt.Sprintf("NAXIS2  = %20d", int64(1)<<50)), 1)
	if _, err := ReadMOC(bytes.NewReader(huge)); err == nil {
		t.Error("huge NAXIS2 accepted")
	}
}
