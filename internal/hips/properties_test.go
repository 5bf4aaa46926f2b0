package hips

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

const td = "../../testdata/hips/"

func loadProps(t *testing.T, name string) *Properties {
	t.Helper()
	f, err := os.Open(td + name + "/properties")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ParseProperties(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("%s: Validate: %v", name, err)
	}
	return p
}

func TestPropertiesRealHiPS(t *testing.T) {
	type want struct {
		order, orderMin, width int
		formats                []Format
		frame                  Frame
		cut                    [2]float64
		hasCut                 bool
		rng                    [2]float64
		hasRange               bool
		bitpix                 int
		hasBitpix              bool
		ra, dec, fov           float64
		did, title             string
		color                  bool
		credits                int
	}
	cases := map[string]want{
		"mellinger": {order: 3, width: 128, formats: []Format{FormatJPEG}, frame: Equatorial,
			ra: 270.08789, dec: -0.08789, fov: 360, did: "ivo://example/P/mellinger-color",
			title: "Mellinger all-sky panorama (colour, low resolution)", color: true, credits: 1},
		"dirbe60": {order: 3, width: 32, formats: []Format{FormatPNG, FormatJPEG, FormatFITS}, frame: Equatorial,
			cut: [2]float64{4, 400}, hasCut: true, rng: [2]float64{-2488, 7463}, hasRange: true, bitpix: -32, hasBitpix: true,
			ra: 0, dec: 0, fov: 58.63230142835039, did: "ivo://example/P/dirbe60", title: "COBE/DIRBE 60um all-sky (test HiPS)"},
		"ngc1316": {order: 6, width: 512, formats: []Format{FormatPNG, FormatJPEG, FormatFITS}, frame: Equatorial,
			cut: [2]float64{212, 984}, hasCut: true, rng: [2]float64{-252.5, 1462}, hasRange: true, bitpix: 16, hasBitpix: true,
			ra: 50.68846, dec: -37.20245, fov: 0.85556, did: "ivo://example/P/ngc1316",
			title: "NGC 1316 optical (astropy test image comp.fits; test HiPS)"},
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			p := loadProps(t, name)
			if o, err := p.Order(); err != nil || o != w.order {
				t.Errorf("Order = %d, %v; want %d", o, err, w.order)
			}
			if o, err := p.OrderMin(); err != nil || o != w.orderMin {
				t.Errorf("OrderMin = %d, %v; want %d", o, err, w.orderMin)
			}
			if tw, err := p.TileWidth(); err != nil || tw != w.width {
				t.Errorf("TileWidth = %d, %v; want %d", tw, err, w.width)
			}
			if f := p.Formats(); !reflect.DeepEqual(f, w.formats) {
				t.Errorf("Formats = %v; want %v", f, w.formats)
			}
			if f, err := p.Frame(); err != nil || f != w.frame {
				t.Errorf("Frame = %v, %v", f, err)
			}
			lo, hi, _, ok, err := p.PixelCut()
			if err != nil || ok != w.hasCut || (ok && (lo != w.cut[0] || hi != w.cut[1])) {
				t.Errorf("PixelCut = %v %v %v %v", lo, hi, ok, err)
			}
			lo, hi, ok, err = p.DataRange()
			if err != nil || ok != w.hasRange || (ok && (lo != w.rng[0] || hi != w.rng[1])) {
				t.Errorf("DataRange = %v %v %v %v", lo, hi, ok, err)
			}
			bp, ok, err := p.Bitpix()
			if err != nil || ok != w.hasBitpix || bp != w.bitpix {
				t.Errorf("Bitpix = %v %v %v", bp, ok, err)
			}
			ra, dec, fov, ok, err := p.InitialView()
			if err != nil || !ok || ra != w.ra || dec != w.dec || fov != w.fov {
				t.Errorf("InitialView = %v %v %v %v %v", ra, dec, fov, ok, err)
			}
			if p.CreatorDID() != w.did || p.Title() != w.title {
				t.Errorf("did/title = %q %q", p.CreatorDID(), p.Title())
			}
			if p.IsColor() != w.color {
				t.Errorf("IsColor = %v", p.IsColor())
			}
			if d, err := p.CubeDepth(); err != nil || d != 1 || p.IsCube() {
				t.Errorf("CubeDepth = %d %v", d, err)
			}
			if c := p.Credits(); len(c) != w.credits {
				t.Errorf("Credits = %q", c)
			}
			// Unknown Hipsgen keywords are kept, in file order.
			keys := p.Keys()
			if keys[0] != "hips_initial_fov" || p.String("hips_builder") != "Aladin/HipsGen v12.001" {
				t.Errorf("keys start %v, builder %q", keys[:3], p.String("hips_builder"))
			}
			if p.String("hipsgen_params") == "" {
				t.Error("hipsgen_params (not a standard keyword) lost")
			}
			if len(p.Comments) == 0 {
				t.Error("comment lines not kept")
			}
		})
	}
}

func TestPropertiesSyntax(t *testing.T) {
	in := "\ufeff# comment\r\n  ! another\r\n\r\nhips_order=5\r\nhips_service_url = http\\://a.b/c\nprov_progenitor = one\nprov_progenitor = two = three\nk\t=\tv w \nempty =\n"
	p, err := ParseProperties(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Get("hips_order"); v != "5" {
		t.Errorf("hips_order = %q", v)
	}
	if v := p.String("hips_service_url"); v != "http://a.b/c" {
		t.Errorf("escaped colon: %q", v)
	}
	if got := p.All("prov_progenitor"); !reflect.DeepEqual(got, []string{"one", "two = three"}) {
		t.Errorf("repeated keyword: %q", got)
	}
	if v := p.String("k"); v != "v w" {
		t.Errorf("tabs: %q", v)
	}
	if v, ok := p.Get("empty"); !ok || v != "" {
		t.Errorf("empty value: %q %v", v, ok)
	}
	if len(p.Comments) != 2 || p.Entries[0].Line != 4 {
		t.Errorf("comments %v, first entry line %d", p.Comments, p.Entries[0].Line)
	}
	p.Set("prov_progenitor", "x")
	if got := p.All("prov_progenitor"); !reflect.DeepEqual(got, []string{"x"}) {
		t.Errorf("Set: %q", got)
	}
	var b strings.Builder
	if _, err := p.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	q, err := ParseProperties(strings.NewReader(b.String()))
	if err != nil || !reflect.DeepEqual(q.Keys(), p.Keys()) {
		t.Errorf("round trip: %v %v", q.Keys(), err)
	}
}

func TestPropertiesErrors(t *testing.T) {
	cases := []struct {
		in   string
		line int
		msg  string
	}{
		{"hips_order = 3\nthis line has no equals\n", 2, "keyword = value"},
		{"a = 1\n= 3\n", 2, "empty keyword"},
		{"a = 1\nb\n", 2, "keyword = value"},
		{"hips order = 3\n", 1, "blanks"},
		{"a = b\x00c\n", 1, "control character"},
	}
	for _, c := range cases {
		_, err := ParseProperties(strings.NewReader(c.in))
		var pe *PropertiesError
		if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: err = %v; want line %d containing %q", c.in, err, c.line, c.msg)
		}
	}
}

func TestPropertiesLatin1(t *testing.T) {
	p, err := ParseProperties(strings.NewReader("hips_order = 3\nhips_creator = Universit\xe9 de Strasbourg\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v := p.String("hips_creator"); v != "Université de Strasbourg" || len(p.Latin1Lines) != 1 || p.Latin1Lines[0] != 2 {
		t.Errorf("latin-1 line: %q %v", v, p.Latin1Lines)
	}
}

func TestPropertiesTypedErrors(t *testing.T) {
	cases := []struct {
		in, msg string
		check   func(p *Properties) error
	}{
		{"hips_order = three", "not an integer", func(p *Properties) error { _, err := p.Order(); return err }},
		{"hips_order = 40", "out of range", func(p *Properties) error { _, err := p.Order(); return err }},
		{"x = 1", "hips_order missing", func(p *Properties) error { _, err := p.Order(); return err }},
		{"hips_order = 3\nhips_order_min = 4", "deeper than", func(p *Properties) error { _, err := p.OrderMin(); return err }},
		{"hips_tile_width = 500", "power of two", func(p *Properties) error { _, err := p.TileWidth(); return err }},
		{"hips_tile_width = 1000000", "out of range", func(p *Properties) error { _, err := p.TileWidth(); return err }},
		{"hips_frame = supergalactic", "unknown frame", func(p *Properties) error { _, err := p.Frame(); return err }},
		{"hips_pixel_cut = 4", "min max", func(p *Properties) error { _, _, _, _, err := p.PixelCut(); return err }},
		{"hips_pixel_cut = a b", "finite", func(p *Properties) error { _, _, _, _, err := p.PixelCut(); return err }},
		{"hips_data_range = 1 NaN", "finite", func(p *Properties) error { _, _, _, err := p.DataRange(); return err }},
		{"hips_pixel_bitpix = 12", "not a FITS BITPIX", func(p *Properties) error { _, _, err := p.Bitpix(); return err }},
		{"hips_cube_depth = 3\nhips_cube_firstframe = 3", "outside a cube", func(p *Properties) error { _, err := p.CubeFirstFrame(); return err }},
		{"hips_initial_dec = 95\nhips_initial_ra = 1", "declination", func(p *Properties) error { _, _, _, _, err := p.InitialView(); return err }},
		{"hips_order = 3\nhips_tile_format = jpeg gif", "unknown tile format", func(p *Properties) error { return p.CheckTyped() }},
	}
	for _, c := range cases {
		p, err := ParseProperties(strings.NewReader(c.in))
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		err = c.check(p)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: err = %v; want %q", c.in, err, c.msg)
		}
	}
	p, _ := ParseProperties(strings.NewReader("hips_order = 3"))
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), "creator_did") || !strings.Contains(err.Error(), "hips_frame") {
		t.Errorf("Validate of a sparse file: %v", err)
	}
}

func TestPropertiesLegacyAndDefaults(t *testing.T) {
	p, err := ParseProperties(strings.NewReader("maxOrder = 9\ncoordsys = G\nformat = jpg fits\npixelCut = 1 2\nisColor = true\ncubeDepth = 5\ncubeFirstFrame = 2\nhips_initial_ra = -10\nhips_initial_dec = 5"))
	if err != nil {
		t.Fatal(err)
	}
	o, _ := p.Order()
	f, _ := p.Frame()
	w, _ := p.TileWidth()
	d, _ := p.CubeDepth()
	ff, _ := p.CubeFirstFrame()
	lo, hi, _, _, _ := p.PixelCut()
	ra, _, _, ok, _ := p.InitialView()
	if o != 9 || f != Galactic || w != 512 || !reflect.DeepEqual(p.Formats(), []Format{FormatJPEG, FormatFITS}) ||
		lo != 1 || hi != 2 || !p.IsColor() || d != 5 || ff != 2 || !p.IsCube() || ra != 350 || !ok {
		t.Errorf("legacy: order %d frame %v width %d formats %v cut %v %v depth %d first %d ra %v", o, f, w, p.Formats(), lo, hi, d, ff, ra)
	}
	empty, _ := ParseProperties(strings.NewReader(""))
	if fr, err := empty.Frame(); err != nil || fr != Equatorial {
		t.Errorf("default frame %v %v", fr, err)
	}
	if fm := empty.Formats(); !reflect.DeepEqual(fm, []Format{FormatJPEG}) {
		t.Errorf("default formats %v", fm)
	}
}

func TestParseFrame(t *testing.T) {
	cases := map[string]Frame{"equatorial": Equatorial, "Galactic": Galactic, "ecliptic": Ecliptic, "C": Equatorial, "G": Galactic, "E": Ecliptic, " icrs ": Equatorial}
	for in, want := range cases {
		if f, err := ParseFrame(in); err != nil || f != want {
			t.Errorf("ParseFrame(%q) = %v, %v", in, f, err)
		}
	}
	if _, err := ParseFrame("B1950"); err == nil {
		t.Error("B1950 accepted")
	}
	for _, f := range []Frame{Equatorial, Galactic, Ecliptic} {
		if g, err := ParseFrame(f.String()); err != nil || g != f {
			t.Errorf("round trip %v", f)
		}
	}
	if lon, lat := Ecliptic.CoordPrefix(); lon != "ELON" || lat != "ELAT" {
		t.Errorf("ecliptic prefix %s %s", lon, lat)
	}
}

func FuzzParseProperties(f *testing.F) {
	for _, n := range []string{"mellinger", "dirbe60", "ngc1316"} {
		b, err := os.ReadFile(td + n + "/properties")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("hips_order = x\nhips_tile_width=3\n#c\n = \n"))
	f.Add([]byte("hips_cube_depth = 2\nhips_cube_firstframe = 1\nhips_pixel_cut = 1 2 3\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProperties(strings.NewReader(string(b)))
		if err != nil {
			var pe *PropertiesError
			if !errors.As(err, &pe) && !strings.Contains(err.Error(), "hips properties") {
				t.Fatalf("unwrapped error %v", err)
			}
			return
		}
		_ = p.Validate()
		_ = p.Formats()
		_ = p.Credits()
		var sb strings.Builder
		if _, err := p.WriteTo(&sb); err != nil {
			t.Fatal(err)
		}
	})
}
