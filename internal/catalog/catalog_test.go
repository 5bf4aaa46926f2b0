package catalog

import (
	"encoding/base64"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/skyglass/skyglass/internal/sky"
)

func readFile(t testing.TB, name string) *Table {
	t.Helper()
	f, err := os.Open(tdir + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := Read(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestMessierSerializationsEqual(t *testing.T) {
	orig := readFile(t, "topcat_messier.xml")
	for _, name := range []string{"derived_messier_binary.xml", "derived_messier_binary2.xml"} {
		tab := readFile(t, name)
		if tab.NumRows() != orig.NumRows() || len(tab.Columns) != len(orig.Columns) {
			t.Fatalf("%s: %dx%d, want %dx%d", name, tab.NumRows(), len(tab.Columns), orig.NumRows(), len(orig.Columns))
		}
		for i := range orig.Columns {
			a, b := &orig.Columns[i], &tab.Columns[i]
			if a.Name != b.Name || a.Kind != b.Kind || a.Datatype != b.Datatype || a.Unit != b.Unit || a.UCD != b.UCD {
				t.Errorf("%s col %d: metadata %+v vs %+v", name, i, b.Name, a.Name)
			}
			for r := 0; r < orig.NumRows(); r++ {
				if x, y := cellJSON(a, r), cellJSON(b, r); !reflect.DeepEqual(x, y) {
					t.Errorf("%s row %d col %q: %v, TABLEDATA has %v", name, r, a.Name, y, x)
				}
			}
		}
		if len(tab.Params) != len(orig.Params) {
			t.Errorf("%s: %d params, want %d", name, len(tab.Params), len(orig.Params))
		}
		p := tab.Param("Originators")
		if p == nil || len(p.Strings) != 5 || p.Strings[4] != "Mark Taylor" {
			t.Errorf("%s: Originators param (char 20x5) = %+v", name, p)
		}
	}
}

func TestHipparcos(t *testing.T) {
	tab := readFile(t, "hipparcos_stars.csv")
	if tab.NumRows() != 118216 {
		t.Fatalf("rows %d", tab.NumRows())
	}
	want := []struct {
		name string
		kind Kind
	}{{"hip", KindInt}, {"ra", KindFloat}, {"dec", KindFloat}, {"vmag", KindFloat}, {"bv", KindFloat}}
	for i, w := range want {
		if tab.Columns[i].Name != w.name || tab.Columns[i].Kind != w.kind {
			t.Errorf("col %d = %s %v, want %s %v", i, tab.Columns[i].Name, tab.Columns[i].Kind, w.name, w.kind)
		}
	}
	ra, dec, err := FindRADec(tab)
	if err != nil || ra != 1 || dec != 2 {
		t.Fatalf("FindRADec = %d %d %v", ra, dec, err)
	}
	if tab.Columns[0].Int[0] != 1 || tab.Columns[1].Float[0] != 0.0009 || tab.Columns[2].Float[0] != 1.089 {
		t.Errorf("first row %v %v %v", tab.Columns[0].Int[0], tab.Columns[1].Float[0], tab.Columns[2].Float[0])
	}
}

func TestFindRADecErrors(t *testing.T) {
	for _, name := range []string{"astroquery_vizier_kang2010.xml", "astropy_timeseries_sampled.csv"} {
		tab := readFile(t, name)
		_, _, err := FindRADec(tab)
		if err == nil {
			t.Errorf("%s: FindRADec found columns, truth has none", name)
			continue
		}
		if !strings.Contains(err.Error(), tab.Columns[0].Name) {
			t.Errorf("%s: error does not list the columns: %v", name, err)
		}
	}
	tab := readFile(t, "astroquery_vizier_kang2010.xml")
	l, b, err := FindGalactic(tab)
	if err != nil || tab.Columns[l].Name != "_Glon" || tab.Columns[b].Name != "_Glat" {
		t.Errorf("FindGalactic = %d %d %v", l, b, err)
	}
}

func TestDelimited(t *testing.T) {
	cases := []struct {
		name, in string
		cols     []string
		units    []string
		rows     int
		check    func(t *testing.T, tab *Table)
	}{
		{"quoted", "a,b,c\n1,\"x, \"\"y\"\"\nz\",2.5\n2,,\n", []string{"a", "b", "c"}, nil, 2, func(t *testing.T, tab *Table) {
			if got := tab.Columns[1].Str[0]; got != "x, \"y\"\nz" {
				t.Errorf("quoted field %q", got)
			}
			if !tab.Columns[1].IsNull(1) || !tab.Columns[2].IsNull(1) || tab.Columns[2].Kind != KindFloat {
				t.Errorf("nulls/kinds wrong: %+v", tab.Columns[2])
			}
		}},
		{"tsv units comments", "# comment\nra\tdec\tmag\ndeg\tdeg\tmag\n10.5\t-3\t12\n# x\n11\t4\t13\n", []string{"ra", "dec", "mag"}, []string{"deg", "deg", "mag"}, 2, func(t *testing.T, tab *Table) {
			if tab.Columns[1].Kind != KindInt || tab.Columns[0].Float[1] != 11 {
				t.Errorf("kinds %v %v", tab.Columns[1].Kind, tab.Columns[0].Float)
			}
		}},
		{"no header", "1 2 3\n4 5 6\n", []string{"col1", "col2", "col3"}, nil, 2, nil},
		{"numeric names", "year,2019,2020\n1,2,3\n4,5,6\n", []string{"year", "2019", "2020"}, nil, 2, nil},
		{"text data no header", "a,1\nb,2\n", []string{"col1", "col2"}, nil, 2, nil},
		{"semicolon crlf", "x;y\r\n1;2\r\n3;4\r\n", []string{"x", "y"}, nil, 2, func(t *testing.T, tab *Table) {
			if tab.Columns[1].Int[1] != 4 {
				t.Errorf("y = %v", tab.Columns[1].Int)
			}
		}},
		{"int to float to string", "v\n1\n2.5\nabc\n", []string{"v"}, nil, 3, func(t *testing.T, tab *Table) {
			if tab.Columns[0].Kind != KindString || tab.Columns[0].Str[1] != "2.5" {
				t.Errorf("%+v", tab.Columns[0])
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab, err := ParseDelimited(c.in, DelimitedOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tab.ColumnNames(), c.cols) || tab.NumRows() != c.rows {
				t.Fatalf("cols %v rows %d", tab.ColumnNames(), tab.NumRows())
			}
			if c.units != nil {
				for i, u := range c.units {
					if tab.Columns[i].Unit != u {
						t.Errorf("unit %d %q", i, tab.Columns[i].Unit)
					}
				}
			}
			if c.check != nil {
				c.check(t, tab)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct{ name, in string }{
		{"x.xml", "<VOTABLE><RESOURCE><TABLE><FIELD name='a' datatype='int'/><DATA><TABLEDATA><TR><TD>1</TD>"},
		{"x.xml", "<VOTABLE><RESOURCE><TABLE><FIELD name='a' datatype='nope'/></TABLE></RESOURCE></VOTABLE>"},
		{"x.xml", "<VOTABLE><RESOURCE><TABLE><FIELD name='a' datatype='int' arraysize='99999999'/></TABLE></RESOURCE></VOTABLE>"},
		{"x.xml", "<VOTABLE><RESOURCE><TABLE><FIELD name='a' datatype='int'/><DATA><BINARY><STREAM encoding='base64'>AAAA!</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>"},
		{"x.xml", "<VOTABLE><RESOURCE><TABLE><FIELD name='a' datatype='int'/><DATA><BINARY><STREAM encoding='base64'>AAA=</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>"},
		{"x.csv", "a,b\n1,\"unterminated\n"},
		{"x.csv", ""},
		{"x.tbl", "|a|b|\n|int|int|\n x  y \n"},
	}
	for _, c := range cases {
		if _, err := Read(strings.NewReader(c.in), c.name); err == nil {
			t.Errorf("%s %q: no error", c.name, c.in)
		}
	}
}

func TestBinaryArraysAndNulls(t *testing.T) {
	// BINARY2: int with null flag, variable double array, bit array, unicodeChar, complex
	// row 1: a=7, arr=[1.5, NaN], bits=101, u="hé", z=1+2i
	// row 2: a null (flag), arr=[], bits=010, u="", z=NaN
	var b []byte
	be32 := func(v uint32) { b = append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v)) }
	be64 := func(v uint64) { be32(uint32(v >> 32)); be32(uint32(v)) }
	f32 := func(v float32) { be32(math.Float32bits(v)) }
	b = append(b, 0x00)
	be32(7)
	be32(2)
	be64(math.Float64bits(1.5))
	be64(math.Float64bits(math.NaN()))
	b = append(b, 0xA0)
	b = append(b, 0, 'h', 0, 0xe9)
	f32(1)
	f32(2)
	b = append(b, 0x80)
	be32(0)
	be32(0)
	b = append(b, 0x40)
	b = append(b, 0, 0, 0, 0)
	f32(float32(math.NaN()))
	f32(0)
	doc := `<?xml version="1.0"?><VOTABLE version="1.3"><RESOURCE><TABLE>
<FIELD name="a" datatype="int"/><FIELD name="arr" datatype="double" arraysize="*"/>
<FIELD name="bits" datatype="bit" arraysize="3"/><FIELD name="u" datatype="unicodeChar" arraysize="2"/>
<FIELD name="z" datatype="floatComplex"/>
<DATA><BINARY2><STREAM encoding="base64">` + b64(b) + `</STREAM></BINARY2></DATA></TABLE></RESOURCE></VOTABLE>`
	tab, err := Read(strings.NewReader(doc), "")
	if err != nil {
		t.Fatal(err)
	}
	if tab.NumRows() != 2 {
		t.Fatalf("rows %d", tab.NumRows())
	}
	c := tab.Columns
	if c[0].Int[0] != 7 || !c[0].IsNull(1) || c[0].IsNull(0) {
		t.Errorf("a: %+v", c[0])
	}
	if len(c[1].Arr[0].F) != 2 || c[1].Arr[0].F[0] != 1.5 || !c[1].Arr[0].Null[1] || len(c[1].Arr[1].F) != 0 {
		t.Errorf("arr: %+v", c[1].Arr)
	}
	if !reflect.DeepEqual(c[2].Arr[0].F, []float64{1, 0, 1}) || !reflect.DeepEqual(c[2].Arr[1].F, []float64{0, 1, 0}) {
		t.Errorf("bits: %+v", c[2].Arr)
	}
	if c[3].Str[0] != "hé" || c[3].Str[1] != "" {
		t.Errorf("u: %q", c[3].Str)
	}
	if c[4].Float[0] != 1 || c[4].Imag[0] != 2 || !c[4].IsNull(1) {
		t.Errorf("z: %+v", c[4])
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func TestPositionsSexagesimal(t *testing.T) {
	in := "name,RA,DEC\nA,12:30:49.42,+12:23:28.0\nB,00h42m44.3s,+41d16m09s\nC,,\n"
	tab, err := Read(strings.NewReader(in), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	ra, dec, err := Positions(tab)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]float64{{(12 + 30.0/60 + 49.42/3600) * 15, 12 + 23.0/60 + 28.0/3600}, {(0 + 42.0/60 + 44.3/3600) * 15, 41 + 16.0/60 + 9.0/3600}}
	for i, w := range want {
		if math.Abs(ra[i]-w[0]) > 1e-9 || math.Abs(dec[i]-w[1]) > 1e-9 {
			t.Errorf("row %d: %v %v, want %v", i, ra[i], dec[i], w)
		}
	}
	if !math.IsNaN(ra[2]) || !math.IsNaN(dec[2]) {
		t.Errorf("null row: %v %v", ra[2], dec[2])
	}
	// CDS split columns
	readme := `Byte-by-byte Description of file: x.dat
--------------------------------------------------------------------------------
   Bytes Format Units   Label     Explanations
--------------------------------------------------------------------------------
   1-  4  A4    ---     Name      Name
   6-  7  I2    h       RAh       Right ascension (hours)
   9- 10  I2    min     RAm       Right ascension (minutes)
  12- 15  F4.1  s       RAs       Right ascension (seconds)
      17  A1    ---     DE-       Sign
  18- 19  I2    deg     DEd       Declination (degrees)
  21- 22  I2    arcmin  DEm       Declination (minutes)
  24- 25  I2    arcsec  DEs       ? Declination (seconds)
--------------------------------------------------------------------------------
`
	data := "S1   12 30 49.4 -12 23 28\nS2   01 00 00.0 +00 30   \n"
	ct, err := ReadCDS(readme, data, "x.dat")
	if err != nil {
		t.Fatal(err)
	}
	if !ct.Columns[7].IsNull(1) || ct.Columns[7].IsNull(0) {
		t.Errorf("DEs nulls %v", ct.Columns[7].Null)
	}
	ra, dec, err = Positions(ct)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ra[0]-15*(12+30.0/60+49.4/3600)) > 1e-9 || math.Abs(dec[0]+(12+23.0/60+28.0/3600)) > 1e-9 || ra[1] != 15 || dec[1] != 0.5 {
		t.Errorf("cds positions %v %v", ra, dec)
	}
	// MRT: the same description and data in one file
	mrt := "Title: test\n" + readme + data
	mt, err := Read(strings.NewReader(mrt), "x.txt")
	if err != nil || mt.NumRows() != 2 || mt.Format != "cds" {
		t.Fatalf("MRT: %v %+v", err, mt)
	}
}

func TestTimeColumns(t *testing.T) {
	tab := readFile(t, "astropy_timesys.xml")
	tc, err := FindTime(tab)
	if err != nil {
		t.Fatal(err)
	}
	mjd, err := tab.MJD(tc)
	if err != nil {
		t.Fatal(err)
	}
	// timeorigin 2455197.5 (JD) + 1821.2846388435 d, time scale TCB
	if want := 2455197.5 - 2400000.5 + 1821.2846388435; tc.Kind != "offset" || tc.Scale != "TCB" || math.Abs(mjd[0]-want) > 1e-9 {
		t.Errorf("timesys: %+v %v, want %v", tc, mjd, want)
	}
	if len(tab.TimeSys) != 4 || tab.TimeSys[1].TimeOrigin != "MJD-origin" {
		t.Errorf("TIMESYS: %+v", tab.TimeSys)
	}
	tab = readFile(t, "astropy_timeseries_sampled.csv")
	tc, err = FindTime(tab)
	if err != nil || tc.Kind != "iso" {
		t.Fatalf("%+v %v", tc, err)
	}
	mjd, err = tab.MJD(tc)
	if err != nil || mjd[0] != 54543 || mjd[10] != 54559 { // 2008-03-18, 2008-04-03
		t.Errorf("iso dates: %v %v", mjd, err)
	}
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1858-11-17", 0, true}, {"2000-01-01T12:00:00", 51544.5, true}, {"2000-01-01 18:00", 51544.75, true},
		{"2016-12-31T23:59:60Z", 57753 + 86400.0/86400, true}, {"2000-13-01", 0, false}, {"2000-01-01T1:00", 0, false},
		{"20000101", 0, false}, {"2000-01-01T00:00:00+01:00", 0, false}, {"1600-03-01", -94493, true},
	}
	for _, c := range cases {
		v, err := ParseISOTime(c.in)
		if (err == nil) != c.ok || (c.ok && math.Abs(v-c.want) > 1e-9) {
			t.Errorf("ParseISOTime(%q) = %v, %v; want %v ok=%v", c.in, v, err, c.want, c.ok)
		}
	}
	// JD and MJDREF keywords
	jt, _ := ParseDelimited("jd,mag\n2451545.0,10\n", DelimitedOptions{})
	tc, _ = FindTime(jt)
	m, _ := jt.MJD(tc)
	if tc.Kind != "jd" || m[0] != 51544.5 {
		t.Errorf("jd: %+v %v", tc, m)
	}
	it, err := ReadIPAC("\\MJDREF = 50000.5\n|time|flux|\n|double|double|\n 1.5  2\n")
	if err != nil {
		t.Fatal(err)
	}
	tc, _ = FindTime(it)
	m, _ = it.MJD(tc)
	if tc.Kind != "offset" || m[0] != 50002 {
		t.Errorf("mjdref: %+v %v", tc, m)
	}
}

// TestBoundedAllocation feeds inputs whose naive reading would allocate far more than
// their size; readers must stay proportional to the input.
func TestBoundedAllocation(t *testing.T) {
	rows := strings.Repeat("<TR><TD/></TR>", 20000)
	doc := `<VOTABLE><RESOURCE><TABLE><FIELD name="a" datatype="double" arraysize="1000x1000"/><DATA><TABLEDATA>` +
		rows + `</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`
	tab, err := Read(strings.NewReader(doc), "x.xml")
	if err != nil {
		t.Fatal(err)
	}
	if tab.NumRows() != 20000 || !tab.Columns[0].IsNull(0) || len(tab.Columns[0].Arr[0].F) != 0 {
		t.Errorf("empty fixed arrays should be null cells without elements")
	}
	one := strings.Repeat("<TR><TD>1</TD></TR>", 20000)
	doc = strings.Replace(doc, rows, one, 1)
	tab, err = Read(strings.NewReader(doc), "x.xml")
	if err != nil || !tab.Columns[0].IsNull(5) {
		t.Errorf("a 1-element cell of a 10^6-element array should be null: %v", err)
	}
	hdr := strings.Repeat("c,", 100000) + "c\n"
	if tab, err := ParseDelimited(hdr+strings.Repeat("1\n", 1000), DelimitedOptions{}); err == nil {
		if c := cap(tab.Columns[0].Int) + cap(tab.Columns[0].Float); c > 100 {
			t.Errorf("preallocated %d cells per column", c)
		}
	}
	ipac := "|" + strings.Repeat("a|", 100000) + "\n" + strings.Repeat("x\n", 100000)
	if _, err := ReadIPAC(ipac); err == nil {
		t.Errorf("IPAC with 10^10 cells from 300 kB accepted")
	}
}

func TestVOTableDegenerate(t *testing.T) {
	for _, doc := range []string{
		`<VOTABLE><RESOURCE><TABLE><FIELD name="a" datatype="char" arraysize="0"/><DATA><BINARY><STREAM encoding="base64">AAAA</STREAM></BINARY></DATA></TABLE></RESOURCE></VOTABLE>`,
		`<VOTABLE><RESOURCE><TABLE>` + strings.Repeat(`<FIELD name="a" datatype="int"/>`, 3000) + `<DATA><TABLEDATA>` + strings.Repeat("<TR/>", 30000) + `</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`,
	} {
		if _, err := Read(strings.NewReader(doc), "x.xml"); err == nil {
			t.Errorf("degenerate VOTable accepted: %.80s", doc)
		}
	}
}

func TestPositionsICRS(t *testing.T) {
	// kang2010 has only galactic columns: converted to ICRS
	tab := readFile(t, "astroquery_vizier_kang2010.xml")
	ra, dec, frame, err := PositionsICRS(tab)
	if err != nil || frame != "Galactic" {
		t.Fatalf("%v %q", err, frame)
	}
	l, b := tab.Columns[20].Float[0], tab.Columns[21].Float[0]
	if r, d := sky.Convert(sky.FrameGalactic, sky.FrameICRS, l, b); r != ra[0] || d != dec[0] {
		t.Errorf("row 0: %v %v, want %v %v", ra[0], dec[0], r, d)
	}
	// FK4 COOSYS
	doc := `<VOTABLE><RESOURCE><COOSYS ID="b" system="eq_FK4" equinox="B1950"/><TABLE>
<FIELD name="ra" datatype="double" ucd="pos.eq.ra;meta.main" ref="b"/><FIELD name="dec" datatype="double" ucd="pos.eq.dec;meta.main" ref="b"/>
<DATA><TABLEDATA><TR><TD>10</TD><TD>20</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`
	tab, err = Read(strings.NewReader(doc), "")
	if err != nil {
		t.Fatal(err)
	}
	ra, dec, frame, err = PositionsICRS(tab)
	r, d := sky.Convert(sky.FrameFK4B1950, sky.FrameICRS, 10, 20)
	if err != nil || frame != "FK4(B1950)" || ra[0] != r || dec[0] != d {
		t.Errorf("fk4: %v %q %v %v, want %v %v", err, frame, ra, dec, r, d)
	}
	// plain ICRS table
	tab = readFile(t, "hipparcos_stars.csv")
	ra, _, frame, err = PositionsICRS(tab)
	if err != nil || frame != "ICRS" || ra[0] != 0.0009 {
		t.Errorf("hipparcos: %v %q %v", err, frame, ra[0])
	}
}

func TestVOTableLatin1(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><VOTABLE><RESOURCE><TABLE><FIELD name=\"n\" datatype=\"char\" arraysize=\"*\"/>" +
		"<DATA><TABLEDATA><TR><TD>Ce\xe7i</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"
	tab, err := Read(strings.NewReader(doc), "")
	if err != nil || tab.Columns[0].Str[0] != "Ceçi" {
		t.Errorf("latin-1: %v %q", err, tab.Columns[0].Str)
	}
}
