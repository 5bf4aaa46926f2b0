package view

import (
	"fmt"
	"math"

	"github.com/skyglass/skyglass/internal/draw"
	"github.com/skyglass/skyglass/internal/sky"
)

// gridStepsDeg are the candidate grid spacings for latitudes (and galactic
// longitudes), in degrees; gridStepsHours the spacings for right ascension,
// in hours (1h = 15°).
var (
	gridStepsDeg = []float64{
		90, 45, 30, 20, 15, 10, 5, 2, 1,
		30.0 / 60, 20.0 / 60, 10.0 / 60, 5.0 / 60, 2.0 / 60, 1.0 / 60,
		30.0 / 3600, 20.0 / 3600, 10.0 / 3600, 5.0 / 3600, 2.0 / 3600, 1.0 / 3600,
		0.5 / 3600, 0.2 / 3600, 0.1 / 3600,
	}
	gridStepsHours = []float64{
		6, 3, 2, 1,
		30.0 / 60, 20.0 / 60, 10.0 / 60, 5.0 / 60, 2.0 / 60, 1.0 / 60,
		30.0 / 3600, 20.0 / 3600, 10.0 / 3600, 5.0 / 3600, 2.0 / 3600, 1.0 / 3600,
		0.5 / 3600, 0.2 / 3600, 0.1 / 3600, 0.05 / 3600, 0.02 / 3600, 0.01 / 3600,
	}
)

// pickStep returns the first step (degrees) giving at least n lines over span degrees.
func pickStep(steps []float64, unit, span float64, n int) float64 {
	best := steps[0] * unit
	for _, s := range steps {
		best = s * unit
		if span/best >= float64(n) {
			break
		}
	}
	return best
}

// gridFrame returns the sky frame of a grid kind.
func gridFrame(kind string) (sky.Frame, error) {
	switch kind {
	case "icrs", "equatorial", "":
		return sky.Frame{Kind: sky.ICRS}, nil
	case "galactic":
		return sky.Frame{Kind: sky.Galactic}, nil
	}
	return sky.Frame{}, fmt.Errorf("view: unknown grid frame %q (want icrs or galactic)", kind)
}

// SetGrid shows (frame "icrs" or "galactic") or hides (frame "") the coordinate grid.
func (v *View) SetGrid(show bool, frame string) error {
	if !show {
		v.grid = nil
		v.dirty = true
		return nil
	}
	f, err := gridFrame(frame)
	if err != nil {
		return err
	}
	toView, err := sky.NewTransform(f, v.frame)
	if err != nil {
		return err
	}
	toGrid, err := sky.NewTransform(v.frame, f)
	if err != nil {
		return err
	}
	v.grid = &gridState{frame: f, toView: toView, toGrid: toGrid, hours: f.Kind == sky.ICRS}
	v.dirty = true
	return nil
}

type gridState struct {
	frame  sky.Frame
	toView *sky.Transform // grid frame -> view frame
	toGrid *sky.Transform // view frame -> grid frame
	hours  bool           // label longitudes in hours (equatorial)
}

// gridColor is the colour of grid lines and labels.
var gridColor = [4]float32{0.55, 0.75, 1, 0.55}

// buildGrid computes the grid lines and their labels for the current camera.
func (v *View) buildGrid(dl *draw.List) {
	g := v.grid
	if g == nil {
		return
	}
	w, h := v.cam.Width, v.cam.Height
	// Extent of the visible sky in grid coordinates, from a sampling of the canvas.
	clon, clat := g.toGrid.Convert(v.cam.Lon, v.cam.Lat)
	minDL, maxDL, minLat, maxLat := 0.0, 0.0, clat, clat
	const ns = 24
	for i := 0; i <= ns; i++ {
		for j := 0; j <= ns; j++ {
			lon, lat, ok := v.proj.PixelToWorld(w*float64(i)/ns, h*float64(j)/ns)
			if !ok {
				continue
			}
			glon, glat := g.toGrid.Convert(lon, lat)
			dl := sky.NormLon180(glon - clon)
			minDL, maxDL = math.Min(minDL, dl), math.Max(maxDL, dl)
			minLat, maxLat = math.Min(minLat, glat), math.Max(maxLat, glat)
		}
	}
	lonFull := false
	for _, pole := range []float64{90, -90} {
		plon, plat := g.toView.Convert(0, pole)
		if x, y, ok := v.proj.WorldToPixel(plon, plat); ok && x >= 0 && x <= w && y >= 0 && y <= h {
			lonFull = true
			if pole > 0 {
				maxLat = 90
			} else {
				minLat = -90
			}
		}
	}
	if lonFull || maxDL-minDL > 300 {
		minDL, maxDL = -180, 180
		lonFull = true
	}
	latSpan := maxLat - minLat
	lonSpan := (maxDL - minDL) * math.Max(0.2, math.Cos(clat*math.Pi/180))
	latStep := pickStep(gridStepsDeg, 1, latSpan, 4)
	var lonStep float64
	if g.hours {
		lonStep = pickStep(gridStepsHours, 15, lonSpan, 4)
	} else {
		lonStep = pickStep(gridStepsDeg, 1, lonSpan, 4)
	}
	if lonFull {
		lonStep = math.Max(lonStep, 15)
	}
	// Samples along each line: enough to look smooth at any zoom.
	const nseg = 96
	var lines []draw.Line
	var labels []draw.Label
	// Meridians.
	lat0, lat1 := math.Max(-90, minLat-latStep), math.Min(90, maxLat+latStep)
	start := math.Floor((clon+minDL)/lonStep) * lonStep
	for k := 0; k < 400; k++ {
		glon := start + float64(k)*lonStep
		if glon > clon+maxDL+lonStep || (lonFull && glon >= start+360-1e-9) {
			break
		}
		pts := v.gridPolyline(func(t float64) (float64, float64) { return glon, lat0 + (lat1-lat0)*t }, nseg)
		lines = append(lines, pts...)
		if x, y, ok := v.edgeLabelPoint(pts, false); ok {
			labels = append(labels, draw.Label{X: x, Y: y, Text: formatLon(glon, lonStep, g.hours), Align: "bottom"})
		}
	}
	// Parallels.
	for lat := math.Ceil(lat0/latStep) * latStep; lat <= lat1+1e-9; lat += latStep {
		if math.Abs(lat) > 90-1e-9 {
			continue
		}
		la := lat
		lo0, lo1 := clon+minDL-lonStep, clon+maxDL+lonStep
		pts := v.gridPolyline(func(t float64) (float64, float64) { return lo0 + (lo1-lo0)*t, la }, nseg*2)
		lines = append(lines, pts...)
		if x, y, ok := v.edgeLabelPoint(pts, true); ok {
			labels = append(labels, draw.Label{X: x, Y: y, Text: formatLat(la, latStep), Align: "left"})
		}
	}
	dl.Lines = append(dl.Lines, lines...)
	dl.Labels = append(dl.Labels, labels...)
}

// gridPolyline samples a curve of the grid frame (t in [0,1]) and returns it as
// canvas polylines, broken where the projection is invalid or jumps.
func (v *View) gridPolyline(curve func(t float64) (lon, lat float64), n int) []draw.Line {
	g := v.grid
	w, h := v.cam.Width, v.cam.Height
	var out []draw.Line
	var cur []float32
	flush := func() {
		if len(cur) >= 4 {
			out = append(out, draw.Line{Points: cur, Color: gridColor})
		}
		cur = nil
	}
	var px, py, prev float64
	for i := 0; i <= n; i++ {
		glon, glat := curve(float64(i) / float64(n))
		lon, lat := g.toView.Convert(glon, glat)
		x, y, ok := v.proj.WorldToPixel(lon, lat)
		if !ok || math.IsNaN(x) || math.IsNaN(y) {
			flush()
			continue
		}
		// A jump much longer than the previous step is a projection seam.
		if len(cur) > 0 {
			step := math.Hypot(x-px, y-py)
			if step > 0.5*math.Max(w, h) || (len(cur) >= 4 && step > 0.1*math.Max(w, h) && step > 8*prev) {
				flush()
			} else {
				prev = step
			}
		}
		cur = append(cur, float32(x), float32(y))
		px, py = x, y
	}
	flush()
	return out
}

// edgeLabelPoint finds where a grid line leaves the canvas through the bottom
// edge (meridians) or the left edge (parallels), for its label.
func (v *View) edgeLabelPoint(lines []draw.Line, left bool) (x, y float64, ok bool) {
	w, h := v.cam.Width, v.cam.Height
	best := math.Inf(1)
	for _, l := range lines {
		p := l.Points
		for i := 0; i+3 < len(p); i += 2 {
			x0, y0, x1, y1 := float64(p[i]), float64(p[i+1]), float64(p[i+2]), float64(p[i+3])
			if left {
				edge := 2.0
				if (x0-edge)*(x1-edge) <= 0 && x0 != x1 {
					t := (edge - x0) / (x1 - x0)
					yy := y0 + t*(y1-y0)
					if yy > 10 && yy < h-24 && math.Abs(yy-h/2) < best {
						best, x, y, ok = math.Abs(yy-h/2), edge, yy, true
					}
				}
			} else {
				edge := h - 4
				if (y0-edge)*(y1-edge) <= 0 && y0 != y1 {
					t := (edge - y0) / (y1 - y0)
					xx := x0 + t*(x1-x0)
					if xx > 30 && xx < w-30 && math.Abs(xx-w/2) < best {
						best, x, y, ok = math.Abs(xx-w/2), xx, edge, true
					}
				}
			}
		}
	}
	return x, y, ok
}

// formatLon labels a grid longitude with as many digits as the step needs.
func formatLon(lon, step float64, hours bool) string {
	lon = sky.NormLon(lon)
	if hours {
		sec := math.Round(lon / 15 * 3600 * 100) // hundredths of seconds of time
		sec = math.Mod(sec, 24*3600*100)
		hh := int(sec / 360000)
		mm := int(math.Mod(sec, 360000) / 6000)
		ss := math.Mod(sec, 6000) / 100
		switch {
		case step >= 15:
			return fmt.Sprintf("%dh", hh)
		case step >= 15.0/60:
			return fmt.Sprintf("%dh%02dm", hh, mm)
		case step >= 15.0/3600:
			return fmt.Sprintf("%dh%02dm%02.0fs", hh, mm, ss)
		default:
			return fmt.Sprintf("%dh%02dm%05.2fs", hh, mm, ss)
		}
	}
	return formatAngle(lon, step, false)
}

func formatLat(lat, step float64) string { return formatAngle(lat, step, true) }

func formatAngle(a, step float64, signed bool) string {
	sign := ""
	if signed {
		sign = "+"
		if a < 0 {
			sign = "-"
		}
	}
	a = math.Abs(a)
	cs := math.Round(a * 3600 * 100) // hundredths of arcsec
	d := int(cs / 360000)
	m := int(math.Mod(cs, 360000) / 6000)
	s := math.Mod(cs, 6000) / 100
	switch {
	case step >= 1:
		return fmt.Sprintf("%s%d°", sign, d)
	case step >= 1.0/60:
		return fmt.Sprintf("%s%d°%02d′", sign, d, m)
	case step >= 1.0/3600:
		return fmt.Sprintf("%s%d°%02d′%02.0f″", sign, d, m, s)
	default:
		return fmt.Sprintf("%s%d°%02d′%05.2f″", sign, d, m, s)
	}
}
