package view

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/regions"
	"github.com/skyglass/skyglass/internal/sky"
)

// regionLayer is an overlay of DS9 regions: outlines sampled once on the sky
// (ICRS) and projected every frame.
type regionLayer struct {
	id     int
	lines  []skyLine
	points []skyPoint
	texts  []skyText
	hidden bool
}

type skyLine struct {
	pts   [][2]float64 // ICRS degrees
	color [4]float32
}

type skyPoint struct {
	lon, lat float64
	shape    string
	size     float64 // CSS pixels
	color    [4]float32
}

type skyText struct {
	lon, lat float64
	text     string
}

// regionSamples is the number of segments of a full circle or ellipse.
const regionSamples = 72

// AddRegions adds parsed DS9 regions as an overlay and returns its id, the
// number of shapes drawn and a warning for every region it cannot draw
// (regions in image or physical coordinates need an image WCS; composite
// containers are drawn through their members).
func (v *View) AddRegions(rs []regions.Region) (id, drawn int, warnings []string) {
	l := &regionLayer{}
	icrs := sky.Frame{Kind: sky.ICRS}
	for i := range rs {
		r := &rs[i]
		if r.Shape == regions.Composite {
			continue
		}
		if !r.IsSky() {
			warnings = append(warnings, fmt.Sprintf("line %d: %s region in %s coordinates skipped (no image WCS to place it)", r.LineNo, r.Shape, r.Frame))
			continue
		}
		f, ok := r.SkyFrame()
		if !ok {
			warnings = append(warnings, fmt.Sprintf("line %d: %s region: unknown frame %q", r.LineNo, r.Shape, r.Frame))
			continue
		}
		tr, err := sky.NewTransform(f, icrs)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("line %d: %s region: %v", r.LineNo, r.Shape, err))
			continue
		}
		col := regionColor(r.Color)
		outlines, err := regionOutlines(r)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("line %d: %v", r.LineNo, err))
			continue
		}
		for _, o := range outlines {
			pts := make([][2]float64, len(o))
			for k, p := range o {
				pts[k][0], pts[k][1] = tr.Convert(p[0], p[1])
			}
			l.lines = append(l.lines, skyLine{pts: pts, color: col})
		}
		switch r.Shape {
		case regions.Point:
			lon, lat := tr.Convert(r.Points[0][0], r.Points[0][1])
			size := float64(r.PointSize)
			if size <= 0 {
				size = 11
			}
			l.points = append(l.points, skyPoint{lon: lon, lat: lat, shape: r.PointShape, size: size, color: col})
		case regions.Text:
			lon, lat := tr.Convert(r.Points[0][0], r.Points[0][1])
			l.texts = append(l.texts, skyText{lon: lon, lat: lat, text: r.Text})
		}
		if r.Text != "" && r.Shape != regions.Text {
			lon, lat := tr.Convert(r.Points[0][0], r.Points[0][1])
			l.texts = append(l.texts, skyText{lon: lon, lat: lat, text: r.Text})
		}
		drawn++
	}
	v.nextID++
	l.id = v.nextID
	v.overlays = append(v.overlays, l)
	v.dirty = true
	return l.id, drawn, warnings
}

// regionOutlines samples a region's outlines in its own frame (degrees).
func regionOutlines(r *regions.Region) ([][][2]float64, error) {
	if len(r.Points) == 0 {
		return nil, fmt.Errorf("%s region without a position", r.Shape)
	}
	c := r.Points[0]
	need := func(n int) error {
		if len(r.Sizes) < n {
			return fmt.Errorf("%s region with %d sizes (want %d)", r.Shape, len(r.Sizes), n)
		}
		return nil
	}
	switch r.Shape {
	case regions.Circle:
		if err := need(1); err != nil {
			return nil, err
		}
		return [][][2]float64{ellipse(c, r.Sizes[0], r.Sizes[0], 0)}, nil
	case regions.Annulus:
		if err := need(1); err != nil {
			return nil, err
		}
		var out [][][2]float64
		for _, s := range r.Sizes {
			out = append(out, ellipse(c, s, s, 0))
		}
		return out, nil
	case regions.Ellipse:
		if err := need(2); err != nil {
			return nil, err
		}
		return [][][2]float64{ellipse(c, r.Sizes[0], r.Sizes[1], r.Angle)}, nil
	case regions.EllipseAnnulus:
		var out [][][2]float64
		for k := 0; k+1 < len(r.Sizes); k += 2 {
			out = append(out, ellipse(c, r.Sizes[k], r.Sizes[k+1], r.Angle))
		}
		return out, nil
	case regions.Box:
		if err := need(2); err != nil {
			return nil, err
		}
		return [][][2]float64{box(c, r.Sizes[0], r.Sizes[1], r.Angle)}, nil
	case regions.BoxAnnulus:
		var out [][][2]float64
		for k := 0; k+1 < len(r.Sizes); k += 2 {
			out = append(out, box(c, r.Sizes[k], r.Sizes[k+1], r.Angle))
		}
		return out, nil
	case regions.Polygon:
		if len(r.Points) < 3 {
			return nil, fmt.Errorf("polygon with %d vertices", len(r.Points))
		}
		pts := append(append([][2]float64{}, r.Points...), r.Points[0])
		return [][][2]float64{greatCircles(pts)}, nil
	case regions.Line:
		if len(r.Points) < 2 {
			return nil, fmt.Errorf("line with %d points", len(r.Points))
		}
		return [][][2]float64{greatCircles(r.Points[:2])}, nil
	case regions.Vector:
		if err := need(1); err != nil {
			return nil, err
		}
		end := tangentOffset(c, -r.Sizes[0]*cosd(r.Angle), r.Sizes[0]*sind(r.Angle))
		return [][][2]float64{greatCircles([][2]float64{c, end})}, nil
	case regions.Point, regions.Text:
		return nil, nil
	}
	return nil, fmt.Errorf("%s regions are not drawn", r.Shape)
}

func sind(x float64) float64 { return math.Sin(x * math.Pi / 180) }
func cosd(x float64) float64 { return math.Cos(x * math.Pi / 180) }

// tangentOffset returns the point at offset (xi east, eta north) degrees from c
// (azimuthal equidistant: distance and position angle preserved).
func tangentOffset(c [2]float64, xi, eta float64) [2]float64 {
	sep := math.Hypot(xi, eta)
	if sep == 0 {
		return c
	}
	pa := math.Atan2(xi, eta) * 180 / math.Pi
	lon, lat := sky.Offset(c[0], c[1], pa, sep)
	return [2]float64{lon, lat}
}

// axes returns the major and minor axis directions (xi, eta) of a shape at
// DS9 angle theta: counter-clockwise from the image x axis, which points
// west when north is up and east left.
func axes(theta float64) (d1, d2 [2]float64) {
	return [2]float64{-cosd(theta), sind(theta)}, [2]float64{sind(theta), cosd(theta)}
}

func ellipse(c [2]float64, a, b, theta float64) [][2]float64 {
	d1, d2 := axes(theta)
	out := make([][2]float64, 0, regionSamples+1)
	for k := 0; k <= regionSamples; k++ {
		t := 2 * math.Pi * float64(k%regionSamples) / regionSamples
		u, w := a*math.Cos(t), b*math.Sin(t)
		out = append(out, tangentOffset(c, u*d1[0]+w*d2[0], u*d1[1]+w*d2[1]))
	}
	return out
}

func box(c [2]float64, wd, ht, theta float64) [][2]float64 {
	d1, d2 := axes(theta)
	corners := [][2]float64{{-wd / 2, -ht / 2}, {wd / 2, -ht / 2}, {wd / 2, ht / 2}, {-wd / 2, ht / 2}, {-wd / 2, -ht / 2}}
	const sub = 12
	var out [][2]float64
	for k := 0; k+1 < len(corners); k++ {
		for s := 0; s < sub; s++ {
			f := float64(s) / sub
			u := corners[k][0] + f*(corners[k+1][0]-corners[k][0])
			w := corners[k][1] + f*(corners[k+1][1]-corners[k][1])
			out = append(out, tangentOffset(c, u*d1[0]+w*d2[0], u*d1[1]+w*d2[1]))
		}
	}
	return append(out, out[0])
}

// greatCircles joins consecutive points by great-circle arcs, sampled every
// degree at most (16 steps at least per edge).
func greatCircles(pts [][2]float64) [][2]float64 {
	var out [][2]float64
	for k := 0; k+1 < len(pts); k++ {
		a, b := toVec(pts[k][0], pts[k][1]), toVec(pts[k+1][0], pts[k+1][1])
		ang := math.Acos(math.Max(-1, math.Min(1, dot(a, b))))
		n := max(16, int(ang*180/math.Pi))
		for s := 0; s < n; s++ {
			f := float64(s) / float64(n)
			var p [3]float64
			if ang < 1e-12 {
				p = a
			} else {
				sa, sb := math.Sin((1-f)*ang)/math.Sin(ang), math.Sin(f*ang)/math.Sin(ang)
				for i := range p {
					p[i] = sa*a[i] + sb*b[i]
				}
			}
			lon, lat := fromVec(p)
			out = append(out, [2]float64{lon, lat})
		}
	}
	return append(out, pts[len(pts)-1])
}

// ds9Colors are DS9's named colours.
var ds9Colors = map[string][4]float32{
	"white": {1, 1, 1, 1}, "black": {0, 0, 0, 1}, "red": {1, 0, 0, 1}, "green": {0, 1, 0, 1},
	"blue": {0, 0, 1, 1}, "cyan": {0, 1, 1, 1}, "magenta": {1, 0, 1, 1}, "yellow": {1, 1, 0, 1},
}

// regionColor reads a DS9 colour: a name or #rrggbb; DS9's default is green.
func regionColor(s string) [4]float32 {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := ds9Colors[s]; ok {
		return c
	}
	if len(s) == 7 && s[0] == '#' {
		if n, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return [4]float32{float32(n>>16&255) / 255, float32(n>>8&255) / 255, float32(n&255) / 255, 1}
		}
	}
	return ds9Colors["green"]
}

// draw projects the outlines, breaking them where they leave the visible
// sky or jump across the canvas (a projection's boundary).
func (l *regionLayer) draw(v *View, dl *draw.List) {
	if l.hidden {
		return
	}
	w, h := v.cam.Width, v.cam.Height
	jump := math.Max(w, h) / 2
	for _, sl := range l.lines {
		var cur []float32
		flush := func() {
			if len(cur) >= 4 {
				dl.Lines = append(dl.Lines, draw.Line{Points: cur, Color: sl.color})
			}
			cur = nil
		}
		for _, p := range sl.pts {
			x, y, ok := v.WorldToPixel(p[0], p[1])
			if !ok || math.IsNaN(x) || math.IsNaN(y) {
				flush()
				continue
			}
			if n := len(cur); n >= 2 && math.Hypot(x-float64(cur[n-2]), y-float64(cur[n-1])) > jump {
				flush()
			}
			cur = append(cur, float32(x), float32(y))
		}
		flush()
	}
	for _, p := range l.points {
		x, y, ok := v.WorldToPixel(p.lon, p.lat)
		if !ok || !(x >= -20 && y >= -20 && x <= w+20 && y <= h+20) {
			continue
		}
		dl.Lines = append(dl.Lines, pointGlyph(float32(x), float32(y), float32(p.size/2), p.shape, p.color)...)
	}
	for _, t := range l.texts {
		x, y, ok := v.WorldToPixel(t.lon, t.lat)
		if ok && x >= 0 && y >= 0 && x <= w && y <= h {
			dl.Labels = append(dl.Labels, draw.Label{X: x, Y: y, Text: t.text, Align: "center"})
		}
	}
}

// pointGlyph draws a DS9 point shape of half size s at (x, y) as polylines.
func pointGlyph(x, y, s float32, shape string, col [4]float32) []draw.Line {
	ln := func(p ...float32) draw.Line { return draw.Line{Points: p, Color: col} }
	switch shape {
	case "box":
		return []draw.Line{ln(x-s, y-s, x+s, y-s, x+s, y+s, x-s, y+s, x-s, y-s)}
	case "diamond":
		return []draw.Line{ln(x, y-s, x+s, y, x, y+s, x-s, y, x, y-s)}
	case "cross":
		return []draw.Line{ln(x-s, y, x+s, y), ln(x, y-s, x, y+s)}
	case "x":
		return []draw.Line{ln(x-s, y-s, x+s, y+s), ln(x-s, y+s, x+s, y-s)}
	case "arrow":
		return []draw.Line{ln(x, y, x+s*2, y+s*2), ln(x, y, x+s, y), ln(x, y, x, y+s)}
	case "boxcircle":
		return append(pointGlyph(x, y, s, "box", col), pointGlyph(x, y, s*0.8, "circle", col)...)
	}
	pts := make([]float32, 0, 2*25)
	for k := 0; k <= 24; k++ {
		t := 2 * math.Pi * float64(k) / 24
		pts = append(pts, x+s*float32(math.Cos(t)), y+s*float32(math.Sin(t)))
	}
	return []draw.Line{ln(pts...)}
}
