package catalog

import (
	"bytes"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

const fitsDir = "../../testdata/fitstable/"

// TestFITSTablesTruth reads every FITS file of tables.json through Read/ReadAll
// and checks it with the same exactness as the other formats.
func TestFITSTablesTruth(t *testing.T) {
	n := 0
	for _, tf := range loadTablesTruth(t) {
		if tf.Format != "fits" {
			continue
		}
		name := strings.TrimPrefix(tf.File, "tables/")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(fitsDir + name)
			if err != nil {
				t.Fatal(err)
			}
			ts, err := ReadAll(bytes.NewReader(b), name)
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != len(tf.Tables) {
				t.Fatalf("%d tables, truth has %d", len(ts), len(tf.Tables))
			}
			for i, tt := range tf.Tables {
				n++
				if ts[i].Format != "fits" {
					t.Errorf("format %q", ts[i].Format)
				}
				checkTable(t, tf, ts[i], tt)
			}
			// Read picks the first table with rows; ReadFITS any HDU.
			first, err := Read(bytes.NewReader(b), name)
			if err != nil || first.NumRows() != tf.Tables[0].NRows {
				t.Errorf("Read: %v", err)
			}
			last := tf.Tables[len(tf.Tables)-1]
			hdu := ts[len(ts)-1].Meta["FITS_HDU"]
			if hdu == "" {
				t.Fatal("no FITS_HDU in Meta")
			}
			idx, err := strconv.Atoi(hdu)
			if err != nil {
				t.Fatal(err)
			}
			other, err := ReadFITS(bytes.NewReader(b), int64(len(b)), idx)
			if err != nil || other.NumRows() != last.NRows || other.Name != ts[len(ts)-1].Name {
				t.Errorf("ReadFITS(%d): %v", idx, err)
			}
		})
	}
	if n != 5 {
		t.Errorf("%d FITS tables checked, want 5", n)
	}
}

// TestFITSPositions: FindRADec and Positions on FITS tables (radians with a
// Starlink format hint; sexagesimal strings in an ASCII table).
func TestFITSPositions(t *testing.T) {
	tests := []struct {
		file      string
		ra, dec   string
		ra0, dec0 float64 // first row, degrees
		tol       float64
		wantErr   bool
	}{
		{"topcat_863sub.fits", "RA", "DEC", 0.025211720000000003 * 180 / math.Pi, -0.6108773 * 180 / math.Pi, 0, false},
		{"topcat_tables.fit.gz", "RAJ2000", "DEJ2000", (41.873/3600 + 42.0/60) * 15, 40 + 51.0/60 + 57.90/3600, 1e-12, false},
		{"astroquery_astrometry_source_list.fit", "", "", 0, 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(fitsDir + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			tab, err := Read(bytes.NewReader(b), tc.file)
			if err != nil {
				t.Fatal(err)
			}
			ri, di, err := FindRADec(tab)
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), "FLUX") {
					t.Errorf("want an error listing the columns, got %v", err)
				}
				return
			}
			if err != nil || tab.Columns[ri].Name != tc.ra || tab.Columns[di].Name != tc.dec {
				t.Fatalf("FindRADec: %v %d %d", err, ri, di)
			}
			ra, dec, err := Positions(tab)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(ra[0]-tc.ra0) > tc.tol || math.Abs(dec[0]-tc.dec0) > tc.tol {
				t.Errorf("first position %.15g %.15g, want %.15g %.15g", ra[0], dec[0], tc.ra0, tc.dec0)
			}
		})
	}
}

// TestFITSTimeSeries: the TESS cutout's TIME column is BJD - 2457000 (TDB), as
// its unit says; FindTime and MJD must honour it.
func TestFITSTimeSeries(t *testing.T) {
	b, err := os.ReadFile(fitsDir + "astroquery_tess_astrocut.fits")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Read(bytes.NewReader(b), "")
	if err != nil {
		t.Fatal(err)
	}
	if tab.Name != "PIXELS" || tab.Meta["TSTART"] != "1325.313100604524" || tab.Meta["TELESCOP"] != "TESS" {
		t.Errorf("name %q meta TSTART %q TELESCOP %q", tab.Name, tab.Meta["TSTART"], tab.Meta["TELESCOP"])
	}
	tc, err := FindTime(tab)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Columns[tc.Index].Name != "TIME" || tc.Kind != "offset" || tc.Origin != 2457000-jdToMJD || tc.Scale != "TDB" {
		t.Fatalf("time column %+v", tc)
	}
	mjd, err := tab.MJD(tc)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1325.3230590820312 + (2457000 - jdToMJD); mjd[0] != want {
		t.Errorf("MJD[0] = %.10f, want %.10f", mjd[0], want)
	}
}

// TestFITSTimeKeywords: MJDREFI/MJDREFF, TIMEUNIT = 's', TIMEZERO and TIMESYS of a
// FITS table (keywords in Meta) drive the time column's mapping to MJD.
func TestFITSTimeKeywords(t *testing.T) {
	tests := []struct {
		name  string
		meta  map[string]string
		unit  string
		v     float64
		want  float64
		scale string
	}{
		{"mjdref split, seconds", map[string]string{"MJDREFI": "55197", "MJDREFF": "0.5", "TIMEUNIT": "s", "TIMESYS": "TT"}, "s", 86400, 55198.5, "TT"},
		{"timezero", map[string]string{"MJDREF": "50000", "TIMEZERO": "2", "TIMESYS": "TDB"}, "d", 1, 50003, "TDB"},
		{"bjdref", map[string]string{"BJDREFI": "2454833", "BJDREFF": "0"}, "BJD - 2454833", 10, 2454843 - jdToMJD, "TDB"},
		{"unit only", map[string]string{}, "MJD - 50000", 1.5, 50001.5, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := &Table{Meta: tc.meta, Columns: []Column{{Name: "TIME", Unit: tc.unit, Kind: KindFloat, Float: []float64{tc.v}}}}
			tab.SetNumRows(1)
			col, err := FindTime(tab)
			if err != nil {
				t.Fatal(err)
			}
			mjd, err := tab.MJD(col)
			if err != nil {
				t.Fatal(err)
			}
			if mjd[0] != tc.want || col.Scale != tc.scale {
				t.Errorf("MJD %v scale %q, want %v %q (%+v)", mjd[0], col.Scale, tc.want, tc.scale, col)
			}
		})
	}
	// fitsTimeSys summarises the keywords as a TIMESYS.
	ts, ok := fitsTimeSys(map[string]string{"TIMESYS": "TDB", "BJDREFI": "2457000", "BJDREFF": "0.25"})
	if !ok || ts.TimeScale != "TDB" || ts.TimeOrigin != "2457000.25" {
		t.Errorf("fitsTimeSys %+v", ts)
	}
}

// TestFITSDatatypes: FITS types map to the catalog's VOTable-style datatypes.
func TestFITSDatatypes(t *testing.T) {
	b, err := os.ReadFile(fitsDir + "topcat_tables.fit.gz")
	if err != nil {
		t.Fatal(err)
	}
	ts, err := ReadAll(bytes.NewReader(b), "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"_r": "double", "recno": "long", "RAJ2000": "char", "FLUX": "float"}
	for _, tab := range ts {
		for _, c := range tab.Columns {
			if w, ok := want[c.Name]; ok && c.Datatype != w {
				t.Errorf("%s: datatype %q, want %q", c.Name, c.Datatype, w)
			}
		}
	}
	tess, err := os.ReadFile(fitsDir + "astroquery_tess_astrocut.fits")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Read(bytes.NewReader(tess), "")
	if err != nil {
		t.Fatal(err)
	}
	c := &tab.Columns[tab.ColumnIndex("FLUX")]
	if c.Kind != KindArray || c.Datatype != "float" || c.Arraysize != "5x5" || len(c.Arr[0].F) != 25 {
		t.Errorf("FLUX: kind %v datatype %q arraysize %q", c.Kind, c.Datatype, c.Arraysize)
	}
}

// fitsFile builds a FITS file (empty primary + one BINTABLE) for tests.
func fitsFile(rowLen, rows int, cards []string, data []byte) []byte {
	block := func(cs []string) []byte {
		var sb strings.Builder
		for _, c := range append(cs, "END") {
			sb.WriteString(c + strings.Repeat(" ", 80-len(c)))
		}
		for sb.Len()%2880 != 0 {
			sb.WriteByte(' ')
		}
		return []byte(sb.String())
	}
	kv := func(k string, v any) string {
		if s, ok := v.(string); ok {
			return k + strings.Repeat(" ", 8-len(k)) + "= '" + s + "'"
		}
		n := strconv.Itoa(v.(int))
		return k + strings.Repeat(" ", 8-len(k)) + "= " + strings.Repeat(" ", 20-len(n)) + n
	}
	b := block([]string{"SIMPLE  =                    T", kv("BITPIX", 8), kv("NAXIS", 0)})
	h := []string{kv("XTENSION", "BINTABLE"), kv("BITPIX", 8), kv("NAXIS", 2), kv("NAXIS1", rowLen), kv("NAXIS2", rows),
		kv("PCOUNT", 0), kv("GCOUNT", 1)}
	h = append(h, cards...)
	b = append(b, block(h)...)
	b = append(b, data...)
	for len(b)%2880 != 0 {
		b = append(b, 0)
	}
	return b
}

// TestFITSNulls: TNULL integers, undefined logicals, NaN and empty binary
// strings are null cells of the catalog table.
func TestFITSNulls(t *testing.T) {
	cards := []string{"TFIELDS =                    4", "TTYPE1  = 'ID      '", "TFORM1  = 'J       '", "TNULL1  =                   -1",
		"TTYPE2  = 'OK      '", "TFORM2  = 'L       '", "TTYPE3  = 'MAG     '", "TFORM3  = 'E       '",
		"TTYPE4  = 'NAME    '", "TFORM4  = '4A      '"}
	nan := math.Float32bits(float32(math.NaN()))
	row := func(id int32, ok byte, mag uint32, name string) []byte {
		b := []byte{byte(uint32(id) >> 24), byte(uint32(id) >> 16), byte(uint32(id) >> 8), byte(id), ok,
			byte(mag >> 24), byte(mag >> 16), byte(mag >> 8), byte(mag)}
		return append(b, name...)
	}
	data := append(row(7, 'T', math.Float32bits(1.5), "ab  "), row(-1, 0, nan, "    ")...)
	tab, err := Read(bytes.NewReader(fitsFile(13, 2, cards, data)), "t.fits")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range tab.Columns {
		if c.IsNull(0) || !c.IsNull(1) {
			t.Errorf("column %s: null flags %v", tab.Columns[i].Name, c.Null)
		}
	}
	if tab.Columns[0].Int[0] != 7 || !tab.Columns[1].Bool[0] || tab.Columns[2].Float[0] != 1.5 || tab.Columns[3].Str[0] != "ab" {
		t.Errorf("row 0: %v %v %v %q", tab.Columns[0].Int, tab.Columns[1].Bool, tab.Columns[2].Float, tab.Columns[3].Str)
	}
}
