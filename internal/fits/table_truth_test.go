package fits

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

const tabDir = "../../testdata/fitstable/"

type tabTruthCol struct {
	Name      string          `json:"name"`
	Dtype     string          `json:"dtype"`
	Unit      *string         `json:"unit"`
	CellShape []int           `json:"cell_shape"`
	NMasked   *int            `json:"n_masked"`
	Stats     *tabTruthStats  `json:"stats"`
	TForm     *string         `json:"tform"`
	TDisp     *string         `json:"tdisp"`
	TDim      *string         `json:"tdim"`
	TNull     json.RawMessage `json:"tnull"`
	TScal     *json.Number    `json:"tscal"`
	TZero     *json.Number    `json:"tzero"`
}

type tabTruthStats struct {
	N    int         `json:"n"`
	Min  json.Number `json:"min"`
	Max  json.Number `json:"max"`
	Mean json.Number `json:"mean"`
}

type tabTruthTable struct {
	HDU       int           `json:"hdu"`
	Extname   *string       `json:"extname"`
	Xtension  string        `json:"xtension"`
	NRows     int           `json:"n_rows"`
	NCols     int           `json:"n_cols"`
	Columns   []tabTruthCol `json:"columns"`
	FirstRows [][]any       `json:"first_rows"`
	LastRow   []any         `json:"last_row"`
}

func loadTableTruth(t *testing.T) (files []struct {
	File   string          `json:"file"`
	Format string          `json:"format"`
	Tables []tabTruthTable `json:"tables"`
}) {
	b, err := os.ReadFile(tabDir + "tables.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Files []struct {
			File   string          `json:"file"`
			Format string          `json:"format"`
			Tables []tabTruthTable `json:"tables"`
		} `json:"files"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	return d.Files
}

func openTableFile(t testing.TB, name string) *File {
	t.Helper()
	b, err := os.ReadFile(tabDir + name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// astropyUnit maps the unit strings of our files to astropy's re-rendering of
// the units it can parse (Table.read normalises TUNITn through astropy.units).
// The reader keeps TUNITn as written.
var astropyUnit = map[string]string{"count": "ct", "pixel": "pix", "mas/yr": "mas / yr"}

// TestTablesTruth checks every FITS table of tables.json: shape, column
// metadata, the first five and the last row, masked counts and statistics.
func TestTablesTruth(t *testing.T) {
	n := 0
	for _, tf := range loadTableTruth(t) {
		if tf.Format != "fits" {
			continue
		}
		name := strings.TrimPrefix(tf.File, "tables/")
		t.Run(name, func(t *testing.T) {
			f := openTableFile(t, name)
			for _, tt := range tf.Tables {
				n++
				if tt.HDU >= len(f.HDUs) {
					t.Fatalf("HDU %d missing", tt.HDU)
				}
				h := f.HDUs[tt.HDU]
				if string(h.Type()) != tt.Xtension {
					t.Errorf("HDU %d type %s, want %s", tt.HDU, h.Type(), tt.Xtension)
				}
				tab, err := h.Table()
				if err != nil {
					t.Fatal(err)
				}
				if tt.Extname != nil && tab.Name != *tt.Extname {
					t.Errorf("name %q, want %q", tab.Name, *tt.Extname)
				}
				checkTableTruth(t, tab, tt)
			}
		})
	}
	if n != 5 {
		t.Errorf("checked %d FITS tables, want 5", n)
	}
}

func checkTableTruth(t *testing.T, tab *Table, tt tabTruthTable) {
	t.Helper()
	if int(tab.Rows) != tt.NRows || len(tab.Columns) != tt.NCols {
		t.Fatalf("shape %d×%d, want %d×%d", tab.Rows, len(tab.Columns), tt.NRows, tt.NCols)
	}
	data, err := tab.ReadColumns()
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range tt.Columns {
		c := &tab.Columns[i]
		d := data[i]
		if c.Name != tc.Name {
			t.Errorf("col %d name %q, want %q", i, c.Name, tc.Name)
		}
		unit := c.Unit
		if u, ok := astropyUnit[unit]; ok {
			unit = u
		}
		if want := deref(tc.Unit); unit != want {
			t.Errorf("col %s unit %q, want %q", c.Name, c.Unit, want)
		}
		if want := deref(tc.TForm); c.Form != want {
			t.Errorf("col %s tform %q, want %q", c.Name, c.Form, want)
		}
		if want := deref(tc.TDisp); c.Disp != want {
			t.Errorf("col %s tdisp %q, want %q", c.Name, c.Disp, want)
		}
		if want := deref(tc.TDim); c.DimText != want {
			t.Errorf("col %s tdim %q, want %q", c.Name, c.DimText, want)
		}
		if len(tc.TNull) > 0 && string(tc.TNull) != "null" {
			if !c.HasNull || c.Null != strings.Trim(string(tc.TNull), `"`) {
				t.Errorf("col %s tnull %q (%v), want %s", c.Name, c.Null, c.HasNull, tc.TNull)
			}
		} else if c.HasNull {
			t.Errorf("col %s has TNULL %q, truth none", c.Name, c.Null)
		}
		if tc.TScal != nil && (!c.HasScale || c.Scale != numF(*tc.TScal)) || tc.TScal == nil && c.HasScale {
			t.Errorf("col %s tscal %v, want %v", c.Name, c.Scale, tc.TScal)
		}
		if tc.TZero != nil && (!c.HasZero || c.Zero != numF(*tc.TZero)) || tc.TZero == nil && c.HasZero {
			t.Errorf("col %s tzero %v, want %v", c.Name, c.Zero, tc.TZero)
		}
		// cell shape: numpy order is TDIM reversed
		per := d.PerRow
		if d.Kind == DataString && len(c.Dim) <= 1 {
			per = 1
		}
		wantPer := 1
		for _, s := range tc.CellShape {
			wantPer *= s
		}
		if per != wantPer {
			t.Errorf("col %s %d elements per cell, truth shape %v", c.Name, per, tc.CellShape)
		}
		if !kindMatchesDtype(d.Kind, tc.Dtype) {
			t.Errorf("col %s kind %v, truth dtype %s", c.Name, d.Kind, tc.Dtype)
		}
		// masked rows: a cell with any masked element counts once (numpy masked arrays)
		masked := 0
		for r := 0; r < d.Rows; r++ {
			lo, hi := d.Cell(r)
			m := d.NullRows != nil && d.NullRows[r]
			for j := lo; j < hi; j++ {
				// astropy's Table.read masks TNULL, NaN and empty binary strings
				m = m || d.IsNull(j) || d.Kind == DataFloat && math.IsNaN(d.Float[j]) ||
					d.Kind == DataString && tab.Type == TypeBinTable && d.Str[j] == ""
			}
			if m {
				masked++
			}
		}
		if tc.NMasked != nil && masked != *tc.NMasked || tc.NMasked == nil && masked != 0 {
			t.Errorf("col %s masked %d, want %v", c.Name, masked, tc.NMasked)
		}
		if tc.Stats != nil {
			checkStats(t, c.Name, d, tc.Stats)
		}
	}
	check := func(r int, row []any) {
		for i, want := range row {
			got := cellValue(data[i], r)
			if !sameCell(got, want) {
				t.Errorf("row %d col %s: got %v, want %v", r, tab.Columns[i].Name, got, want)
			}
		}
	}
	for r, row := range tt.FirstRows {
		check(r, row)
	}
	check(int(tab.Rows)-1, tt.LastRow)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func numF(n json.Number) float64 {
	v, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		panic(err)
	}
	return v
}

func kindMatchesDtype(k DataKind, dt string) bool {
	switch {
	case strings.Contains(dt, "f"):
		return k == DataFloat
	case strings.Contains(dt, "c"):
		return k == DataComplex
	case strings.Contains(dt, "u8"):
		return k == DataUint
	case strings.Contains(dt, "i"), strings.Contains(dt, "u"):
		return k == DataInt
	case strings.Contains(dt, "S"), strings.Contains(dt, "U"):
		return k == DataString
	case strings.Contains(dt, "b1"):
		return k == DataBool
	}
	return false
}

// element returns element j as a JSON-like value (nil when null or NaN).
func element(d *ColumnData, j int) any {
	if d.IsNull(j) {
		return nil
	}
	switch d.Kind {
	case DataFloat:
		if math.IsNaN(d.Float[j]) {
			return nil
		}
		return d.Float[j]
	case DataInt:
		return d.Int[j]
	case DataUint:
		return d.Uint[j]
	case DataBool:
		return d.Bool[j]
	case DataString:
		return d.Str[j]
	case DataComplex:
		return [2]float64{d.Float[2*j], d.Float[2*j+1]}
	}
	return nil
}

// cellValue returns row r: a scalar, or a flat list for array cells.
func cellValue(d *ColumnData, r int) any {
	lo, hi := d.Cell(r)
	if d.Offsets == nil && d.PerRow == 1 {
		return element(d, lo)
	}
	out := []any{}
	for j := lo; j < hi; j++ {
		out = append(out, element(d, j))
	}
	return out
}

func flat(v any, out []any) []any {
	if l, ok := v.([]any); ok {
		for _, e := range l {
			out = flat(e, out)
		}
		return out
	}
	return append(out, v)
}

func sameCell(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case json.Number:
		switch g := got.(type) {
		case int64:
			iv, err := strconv.ParseInt(string(w), 10, 64)
			return err == nil && iv == g
		case uint64:
			uv, err := strconv.ParseUint(string(w), 10, 64)
			return err == nil && uv == g
		case float64:
			return g == numF(w)
		}
		return false
	case string:
		// truth strings are bytes decoded as latin-1
		rs := []rune(w)
		b := make([]byte, len(rs))
		for i, r := range rs {
			b[i] = byte(r)
		}
		g, ok := got.(string)
		return ok && g == string(b)
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case []any:
		g, ok := got.([]any)
		wf := flat(w, nil)
		if !ok || len(g) != len(wf) {
			return false
		}
		for i := range g {
			if !sameCell(g[i], wf[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		s, ok := w["summary_of_array_cell"].(map[string]any)
		g, ok2 := got.([]any)
		if !ok || !ok2 || string(s["len"].(json.Number)) != strconv.Itoa(len(g)) {
			return false
		}
		head, tail := flat(s["head"], nil), flat(s["tail"], nil)
		for i := range head {
			if !sameCell(g[i], head[i]) {
				return false
			}
		}
		for i := range tail {
			if !sameCell(g[len(g)-len(tail)+i], tail[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func checkStats(t *testing.T, name string, d *ColumnData, st *tabTruthStats) {
	t.Helper()
	n := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	var sum, comp float64
	for j := 0; j < d.Len(); j++ {
		if d.IsNull(j) {
			continue
		}
		var v float64
		switch d.Kind {
		case DataFloat:
			v = d.Float[j]
		case DataInt:
			v = float64(d.Int[j])
		case DataUint:
			v = float64(d.Uint[j])
		default:
			t.Errorf("col %s: stats on a %v column", name, d.Kind)
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		n++
		lo, hi = min(lo, v), max(hi, v)
		s := sum + v
		if math.Abs(sum) >= math.Abs(v) {
			comp += (sum - s) + v
		} else {
			comp += (v - s) + sum
		}
		sum = s
	}
	if n != st.N {
		t.Errorf("col %s: n %d, want %d", name, n, st.N)
		return
	}
	if n == 0 {
		return
	}
	mean := (sum + comp) / float64(n)
	if lo != numF(st.Min) || hi != numF(st.Max) || math.Abs(mean-numF(st.Mean)) > 1e-12*math.Abs(numF(st.Mean)) {
		t.Errorf("col %s: min %v max %v mean %v, want %v %v %v", name, lo, hi, mean, st.Min, st.Max, st.Mean)
	}
}

// TestTableHDUsOfImageFiles checks nrows/ncols of the table HDUs listed in
// fits_images.json (the DSS plate's calibration table), which also needs the
// DSS primary header's malformed SKEW card to be tolerated.
func TestTableHDUsOfImageFiles(t *testing.T) {
	b, err := os.ReadFile(tabDir + "fits_images.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Files []struct {
			File string `json:"file"`
			HDUs []struct {
				Index   int    `json:"index"`
				Type    string `json:"type"`
				Extname string `json:"extname"`
				NRows   int    `json:"nrows"`
				NCols   int    `json:"ncols"`
			} `json:"hdus"`
		} `json:"files"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range d.Files {
		for _, h := range f.HDUs {
			if h.Type != "BINTABLE" && h.Type != "TABLE" {
				continue
			}
			name := f.File[strings.LastIndexByte(f.File, '/')+1:]
			if _, err := os.Stat(tabDir + name); err != nil {
				t.Errorf("%s: table HDU without a test copy", f.File)
				continue
			}
			n++
			fl := openTableFile(t, name)
			if len(fl.HDUs) <= h.Index {
				t.Fatalf("%s: %d HDUs", name, len(fl.HDUs))
			}
			tab, err := fl.HDUs[h.Index].Table()
			if err != nil {
				t.Fatal(err)
			}
			if int(tab.Rows) != h.NRows || len(tab.Columns) != h.NCols || tab.Name != h.Extname {
				t.Errorf("%s HDU %d: %d×%d %q, want %d×%d %q", name, h.Index, tab.Rows, len(tab.Columns), tab.Name, h.NRows, h.NCols, h.Extname)
			}
			cols, err := tab.ReadColumns()
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range cols {
				if c.Rows != h.NRows || c.Len() != h.NRows {
					t.Errorf("column %d: %d rows, %d elements", i, c.Rows, c.Len())
				}
			}
			// The image HDU opens too.
			img, err := fl.HDUs[0].Image()
			if err != nil || len(img.Float64()) == 0 {
				t.Errorf("%s primary image: %v", name, err)
			}
		}
	}
	if n == 0 {
		t.Error("no table HDU in fits_images.json")
	}
}
