package regions

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/skyglass/skyglass/internal/sky"
)

const rdir = "../../testdata/regions/"

type truthFile struct {
	File     string           `json:"file"`
	N        int              `json:"n_regions"`
	Regions  []map[string]any `json:"regions"`
	Warnings []string         `json:"parser_warnings"`
}

// record is one shape in astropy-regions' terms.
type record struct {
	typ    string
	frame  string
	params map[string]any // "center"/"start"/"end"/"vertices" → [][2]float64; sizes → float64
	r      *Region
}

func regionsFrame(f string) string {
	if f == FrameEcliptic {
		return "barycentricmeanecliptic"
	}
	return f
}

// toRecords converts a parsed region to astropy-regions' classes (annuli with several
// rings become one record per ring; DS9 image pixels become 0-based).
func toRecords(r *Region) []record {
	kind := "Sky"
	off := 0.0
	if !r.IsSky() {
		kind = "Pixel"
		off = 1
	}
	pts := make([][2]float64, len(r.Points))
	for i, p := range r.Points {
		pts[i] = [2]float64{p[0] - off, p[1] - off}
	}
	rec := func(typ string, kv ...any) record {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return record{typ: typ + kind + "Region", frame: regionsFrame(r.Frame), params: m, r: r}
	}
	c := pts[:1]
	switch r.Shape {
	case Circle:
		return []record{rec("Circle", "center", c, "radius", r.Sizes[0])}
	case Ellipse:
		return []record{rec("Ellipse", "center", c, "width", 2*r.Sizes[0], "height", 2*r.Sizes[1], "angle", r.Angle)}
	case Box:
		return []record{rec("Rectangle", "center", c, "width", r.Sizes[0], "height", r.Sizes[1], "angle", r.Angle)}
	case Polygon:
		return []record{rec("Polygon", "vertices", pts)}
	case Line:
		return []record{rec("Line", "start", pts[:1], "end", pts[1:2])}
	case Point:
		return []record{rec("Point", "center", c)}
	case Text:
		return []record{rec("Text", "center", c)}
	case Annulus:
		var out []record
		for _, g := range r.Rings() {
			out = append(out, rec("CircleAnnulus", "center", c, "inner_radius", g[0], "outer_radius", g[1]))
		}
		return out
	case EllipseAnnulus:
		var out []record
		for _, g := range r.Rings() {
			out = append(out, rec("EllipseAnnulus", "center", c, "inner_width", 2*g[0], "inner_height", 2*g[1],
				"outer_width", 2*g[2], "outer_height", 2*g[3], "angle", r.Angle))
		}
		return out
	case BoxAnnulus:
		var out []record
		for _, g := range r.Rings() {
			out = append(out, rec("RectangleAnnulus", "center", c, "inner_width", g[0], "inner_height", g[1],
				"outer_width", g[2], "outer_height", g[3], "angle", r.Angle))
		}
		return out
	}
	return nil // vector, composite: not represented by astropy-regions
}

func toF(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case []any:
		return x[0].(float64)
	case map[string]any:
		return toF(x["deg"])
	}
	panic("bad number")
}

func coordsOf(v any, sky bool) (lon, lat []float64, frame string) {
	m := v.(map[string]any)
	lk, bk := "pixel_x", "pixel_y"
	if sky {
		lk, bk = "lon_deg", "lat_deg"
		frame, _ = m["frame"].(string)
	}
	for _, x := range m[lk].([]any) {
		lon = append(lon, x.(float64))
	}
	for _, x := range m[bk].([]any) {
		lat = append(lat, x.(float64))
	}
	return
}

var markers = map[string]string{"circle": "o", "box": "s", "diamond": "D", "cross": "+", "x": "x"}

func TestRegionsTruth(t *testing.T) {
	b, err := os.ReadFile(rdir + "regions.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Files []truthFile `json:"files"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	for _, tf := range d.Files {
		t.Run(tf.File, func(t *testing.T) {
			text, err := os.ReadFile(rdir + strings.TrimPrefix(tf.File, "regions/"))
			if err != nil {
				t.Fatal(err)
			}
			regs, perr := ParseDS9(string(text))
			var we *WarningsError
			if perr != nil && !errors.As(perr, &we) {
				t.Fatal(perr)
			}
			unsupported := 0
			for _, w := range tf.Warnings {
				if strings.Contains(w, "not a valid frame or region shape") || strings.Contains(w, "not supported") {
					unsupported++
				}
			}
			if got := 0; we != nil {
				got = len(we.Warnings)
				if got < unsupported {
					t.Errorf("%d warnings, astropy-regions skipped %d lines: %v", got, unsupported, we)
				}
			} else if unsupported > 0 {
				t.Errorf("no warnings; astropy-regions skipped %d lines", unsupported)
			}
			var recs []record
			for i := range regs {
				recs = append(recs, toRecords(&regs[i])...)
			}
			if len(recs) != tf.N {
				t.Fatalf("%d shapes, want %d", len(recs), tf.N)
			}
			for i, want := range tf.Regions {
				checkRecord(t, i, recs[i], want)
			}
			t.Logf("max ICRS separation from astropy so far: %.3g deg", maxICRS)
		})
	}
}

func checkRecord(t *testing.T, i int, got record, want map[string]any) {
	t.Helper()
	if got.typ != want["type"] {
		t.Errorf("shape %d: %s, want %s", i, got.typ, want["type"])
		return
	}
	sky := strings.HasSuffix(got.typ, "SkyRegion")
	for k, wv := range want {
		switch k {
		case "type", "meta", "visual":
			continue
		case "text":
			if got.r.Text != wv {
				t.Errorf("shape %d text %q, want %q", i, got.r.Text, wv)
			}
			continue
		}
		gv, ok := got.params[k]
		if !ok {
			t.Errorf("shape %d (%s): no parameter %q", i, got.typ, k)
			continue
		}
		if pts, ok := gv.([][2]float64); ok {
			lon, lat, frame := coordsOf(wv, sky)
			if sky && frame != got.frame {
				t.Errorf("shape %d %s frame %q, want %q", i, k, got.frame, frame)
			}
			if len(lon) != len(pts) {
				t.Errorf("shape %d %s: %d points, want %d", i, k, len(pts), len(lon))
				continue
			}
			for j := range pts {
				if math.Abs(pts[j][0]-lon[j]) > 1e-9 || math.Abs(pts[j][1]-lat[j]) > 1e-9 {
					t.Errorf("shape %d %s[%d] = %v, want (%v, %v)", i, k, j, pts[j], lon[j], lat[j])
				}
			}
			if sky {
				checkICRS(t, i, k, got, wv.(map[string]any))
			}
			continue
		}
		g := gv.(float64)
		w := toF(wv)
		if math.Abs(g-w) > 1e-12*math.Abs(w) {
			t.Errorf("shape %d %s = %v, want %v", i, k, g, w)
		}
	}
	// meta and visual
	meta, _ := want["meta"].(map[string]any)
	if inc, ok := meta["include"].(float64); ok && (inc == 1) != got.r.Include {
		t.Errorf("shape %d include %v, want %v", i, got.r.Include, inc)
	}
	if txt, ok := meta["text"].(string); ok && got.r.Text != txt {
		t.Errorf("shape %d text %q, want %q", i, got.r.Text, txt)
	}
	if tags, ok := meta["tag"].(string); ok {
		if g := "['" + strings.Join(got.r.Tags, "', '") + "']"; g != tags {
			t.Errorf("shape %d tags %s, want %s", i, g, tags)
		}
	}
	vis, _ := want["visual"].(map[string]any)
	col, _ := vis["edgecolor"].(string)
	if c, ok := vis["color"].(string); ok {
		col = c
	}
	if col != "" && got.r.Color != col {
		t.Errorf("shape %d colour %q, want %q", i, got.r.Color, col)
	}
	lw, ok := vis["linewidth"].(float64)
	if !ok {
		lw, ok = vis["markeredgewidth"].(float64)
	}
	if ok && float64(got.r.Width) != lw {
		t.Errorf("shape %d width %d, want %v", i, got.r.Width, lw)
	}
	if fn, ok := vis["fontname"].(string); ok {
		f := strings.Fields(got.r.Font)
		if len(f) < 2 || f[0] != fn || f[1] != formatNum(vis["fontsize"].(float64)) {
			t.Errorf("shape %d font %q, want %s %v", i, got.r.Font, fn, vis["fontsize"])
		}
		if w, ok := vis["fontweight"].(string); ok && len(f) >= 3 && f[2] != w && !(w == "normal" && f[2] == "roman") {
			t.Errorf("shape %d font weight %q, want %q", i, f[2], w)
		}
	}
	if m, ok := vis["marker"].(string); ok {
		if want, known := markers[got.r.PointShape]; known && want != m {
			t.Errorf("shape %d point %q, astropy marker %q", i, got.r.PointShape, m)
		}
		if strings.HasPrefix(m, "Path") && got.r.PointShape != "arrow" && got.r.PointShape != "boxcircle" {
			t.Errorf("shape %d point %q, astropy marker is a path", i, got.r.PointShape)
		}
	}
}

var maxICRS float64

// checkICRS compares the ICRS transform of the points (by internal/sky) with astropy's.
func checkICRS(t *testing.T, i int, k string, got record, want map[string]any) {
	t.Helper()
	var pts [][2]float64
	icrs, err := got.r.ICRS()
	if err != nil {
		t.Errorf("shape %d: ICRS: %v", i, err)
		return
	}
	switch k {
	case "end":
		pts = icrs[1:2]
	case "start", "center":
		pts = icrs[:1]
	default:
		pts = icrs
	}
	ra, _ := want["icrs_ra_deg"].([]any)
	dec, _ := want["icrs_dec_deg"].([]any)
	for j := range pts {
		d := sky.Separation(pts[j][0], pts[j][1], ra[j].(float64), dec[j].(float64))
		maxICRS = math.Max(maxICRS, d)
		if d > 1e-6 {
			t.Errorf("shape %d %s[%d]: ICRS %v, astropy (%v, %v): %.3g deg apart", i, k, j, pts[j], ra[j], dec[j], d)
		}
	}
}

func formatNum(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestParseSyntax(t *testing.T) {
	in := `# Region file format: DS9 version 4.1
global color=green width=1 font="helvetica 10 normal roman" dash=0
fk5;circle(10:00:00,+20:00:00,1') # color=red width=2 tag={a} tag={b c}
galactic; -box(120.5,-3.25,30",0.01r,45) # background dash=1
image
circle point(100,200) # color=blue
point(10,20) # point=x 15
# vector(50,60,20,30) vector=1
ellipse(1,2,3,4,5,6,7,8,10)
annulus(5,5,1,2,3)
composite(100,100,30) || composite=1
circle(110,100,5) ||
box(90,100,4,6,0)
text(30,40) text={Hello world}
text(31,41,{Inline})
line(1,1,5,5) # line=1 0
polygon(1,1,2,2,3,1)
panda(1,1,0,360,4,1,2,2)
fk4
circle(12h30m00s,-10d30m00s,3.6")
ruler(1,2,3,4)
`
	regs, err := ParseDS9(in)
	var we *WarningsError
	if !errors.As(err, &we) || len(we.Warnings) != 2 || we.Warnings[0].Line != 18 || we.Warnings[1].Line != 21 {
		t.Fatalf("warnings: %v", err)
	}
	if !strings.Contains(we.Warnings[0].Msg, "panda") {
		t.Errorf("warning %q should name the shape", we.Warnings[0].Msg)
	}
	type exp struct {
		shape, frame string
		pts          [][2]float64
		sizes        []float64
		angle        float64
		check        func(r Region) bool
	}
	want := []exp{
		{Circle, FrameFK5, [][2]float64{{150, 20}}, []float64{1.0 / 60}, 0, func(r Region) bool {
			return r.Color == "red" && r.Width == 2 && len(r.Tags) == 2 && r.Tags[1] == "b c" && r.Include && r.Equinox == "J2000"
		}},
		{Box, FrameGalactic, [][2]float64{{120.5, -3.25}}, []float64{30.0 / 3600, 0.01 * 180 / math.Pi}, 45, func(r Region) bool {
			return !r.Include && !r.Source && r.Dash && r.Color == "green"
		}},
		{Point, FrameImage, [][2]float64{{100, 200}}, nil, 0, func(r Region) bool { return r.PointShape == "circle" && r.Color == "blue" }},
		{Point, FrameImage, [][2]float64{{10, 20}}, nil, 0, func(r Region) bool { return r.PointShape == "x" && r.PointSize == 15 }},
		{Vector, FrameImage, [][2]float64{{50, 60}}, []float64{20}, 30, nil},
		{EllipseAnnulus, FrameImage, [][2]float64{{1, 2}}, []float64{3, 4, 5, 6, 7, 8}, 10, func(r Region) bool { return len(r.Rings()) == 2 }},
		{Annulus, FrameImage, [][2]float64{{5, 5}}, []float64{1, 2, 3}, 0, func(r Region) bool { return len(r.Rings()) == 2 }},
		{Composite, FrameImage, [][2]float64{{100, 100}}, nil, 30, nil},
		{Circle, FrameImage, [][2]float64{{110, 100}}, []float64{5}, 0, func(r Region) bool { return r.Group == 7 }},
		{Box, FrameImage, [][2]float64{{90, 100}}, []float64{4, 6}, 0, func(r Region) bool { return r.Group == 7 }},
		{Text, FrameImage, [][2]float64{{30, 40}}, nil, 0, func(r Region) bool { return r.Text == "Hello world" && r.Group == -1 }},
		{Text, FrameImage, [][2]float64{{31, 41}}, nil, 0, func(r Region) bool { return r.Text == "Inline" }},
		{Line, FrameImage, [][2]float64{{1, 1}, {5, 5}}, nil, 0, func(r Region) bool { return r.Props["line"] == "1 0" }},
		{Polygon, FrameImage, [][2]float64{{1, 1}, {2, 2}, {3, 1}}, nil, 0, nil},
		{Circle, FrameFK4, [][2]float64{{187.5, -10.5}}, []float64{0.001}, 0, func(r Region) bool { return r.Equinox == "B1950" }},
	}
	if len(regs) != len(want) {
		for _, r := range regs {
			t.Logf("%+v", r)
		}
		t.Fatalf("%d regions, want %d", len(regs), len(want))
	}
	for i, w := range want {
		r := regs[i]
		if r.Shape != w.shape || r.Frame != w.frame {
			t.Errorf("%d: %s %s, want %s %s", i, r.Shape, r.Frame, w.shape, w.frame)
			continue
		}
		if len(r.Points) != len(w.pts) {
			t.Errorf("%d: points %v, want %v", i, r.Points, w.pts)
			continue
		}
		for j := range w.pts {
			if math.Abs(r.Points[j][0]-w.pts[j][0]) > 1e-9 || math.Abs(r.Points[j][1]-w.pts[j][1]) > 1e-9 {
				t.Errorf("%d: points %v, want %v", i, r.Points, w.pts)
			}
		}
		if len(r.Sizes) != len(w.sizes) {
			t.Errorf("%d: sizes %v, want %v", i, r.Sizes, w.sizes)
		} else {
			for j := range w.sizes {
				if math.Abs(r.Sizes[j]-w.sizes[j]) > 1e-12*w.sizes[j] {
					t.Errorf("%d: sizes %v, want %v", i, r.Sizes, w.sizes)
				}
			}
		}
		if r.Angle != w.angle {
			t.Errorf("%d: angle %v, want %v", i, r.Angle, w.angle)
		}
		if w.check != nil && !w.check(r) {
			t.Errorf("%d: properties wrong: %+v", i, r)
		}
	}
}

func TestParseBad(t *testing.T) {
	for _, in := range []string{
		"circle(1,2", "fk5\ncircle(abc,1,2)", "polygon(1,2,3)", "image\nbox(1,2)", "fk5\ncircle(25:00:00,0,1)",
		"fk5\ncircle(1,95,1)", "circle(1,2,3) # text={unterminated", "ellipse(1,2,3x,4)", "foo(1,2)",
	} {
		regs, err := ParseDS9(in)
		var we *WarningsError
		if in == "circle(1,2,3) # text={unterminated" {
			if err != nil || len(regs) != 1 || regs[0].Text != "unterminated" {
				t.Errorf("%q: %v %+v", in, err, regs)
			}
			continue
		}
		if !errors.As(err, &we) || len(regs) != 0 {
			t.Errorf("%q: regions %v, err %v", in, regs, err)
		}
	}
}

func TestParseSTCS(t *testing.T) {
	cases := []struct {
		in     string
		shapes []string
		frame  string
		ok     bool
	}{
		{"Polygon ICRS 10 20 11 20 11 21", []string{Polygon}, FrameICRS, true},
		{"CIRCLE ICRS TOPOCENTER 10.5 -20 0.25", []string{Circle}, FrameICRS, true},
		{"Box J2000 1 2 3 4", []string{Box}, FrameFK5, true},
		{"Ellipse GALACTIC 1 2 3 4 30 unit deg", []string{Ellipse}, FrameGalactic, true},
		{"POLYGON 1 1 2 2 3 1 POLYGON 4 4 5 5 6 4", []string{Polygon, Polygon}, FrameICRS, true},
		{"Union ICRS (Polygon 1 1 2 2 3 1 Circle 5 5 1)", []string{Polygon, Circle}, FrameICRS, true},
		{"Position ICRS 3 4", []string{Point}, FrameICRS, true},
		{"Intersection ICRS (Circle 1 1 1 Circle 2 2 1)", nil, "", false},
		{"Circle ICRS 1 2", nil, "", false},
		{"Polygon ICRS 1 2 3 4", nil, "", false},
		{"Circle ICRS 1 95 1", nil, "", false},
		{"Blob 1 2", nil, "", false},
		{"", nil, "", false},
	}
	for _, c := range cases {
		regs, err := ParseSTCS(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v", c.in, err)
			continue
		}
		if !c.ok {
			continue
		}
		if len(regs) != len(c.shapes) {
			t.Errorf("%q: %d shapes", c.in, len(regs))
			continue
		}
		for i, r := range regs {
			if r.Shape != c.shapes[i] || r.Frame != c.frame {
				t.Errorf("%q: shape %d %s %s", c.in, i, r.Shape, r.Frame)
			}
		}
	}
	r, _ := ParseSTCS("Circle ICRS 10.5 -20 0.25")
	if r[0].Points[0] != [2]float64{10.5, -20} || r[0].Sizes[0] != 0.25 {
		t.Errorf("circle %+v", r[0])
	}
}
