package regions

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/skyglass/skyglass/internal/sky"
)

func isSexagesimal(s string) bool {
	return strings.ContainsAny(s, ":hms ") || (strings.Contains(s, "d") && !strings.HasSuffix(s, "d"))
}

// parseCoord parses one coordinate pair in frame: sexagesimal (RA in hours for
// fk4/fk5/icrs; degrees for galactic/ecliptic longitudes) or decimal degrees; image and
// physical coordinates are plain numbers (an 'i' or 'p' suffix is accepted).
func parseCoord(frame, xs, ys string) (float64, float64, error) {
	switch frame {
	case FrameImage, FramePhysical:
		x, err1 := parsePlain(xs)
		y, err2 := parsePlain(ys)
		if err1 != nil || err2 != nil {
			return 0, 0, fmt.Errorf("bad %s coordinates (%q, %q)", frame, xs, ys)
		}
		return x, y, nil
	}
	var lon float64
	var err error
	switch {
	case !isSexagesimal(xs):
		lon, err = parseDeg(xs)
		if err == nil && (lon < -360 || lon > 720) {
			err = fmt.Errorf("longitude %q out of range", xs)
		}
		lon = sky.NormLon(lon)
	case frame == FrameFK5 || frame == FrameFK4 || frame == FrameICRS:
		lon, err = sky.ParseRA(xs)
	default:
		// sexagesimal degrees: "292:00:04.651" → "292d00m04.651s"
		s := strings.TrimPrefix(strings.TrimSpace(xs), "+")
		if strings.Count(s, ":") == 2 {
			s = strings.Replace(s, ":", "d", 1)
			s = strings.Replace(s, ":", "m", 1) + "s"
		} else if strings.Count(s, ":") == 1 {
			s = strings.Replace(s, ":", "d", 1) + "m"
		}
		lon, err = sky.ParseRA(s)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("bad longitude %q: %w", xs, err)
	}
	var lat float64
	if isSexagesimal(ys) {
		lat, err = sky.ParseDec(ys)
	} else {
		lat, err = parseDeg(ys)
		if err == nil && (lat < -90 || lat > 90) {
			err = fmt.Errorf("latitude %q out of range", ys)
		}
	}
	if err != nil {
		return 0, 0, fmt.Errorf("bad latitude %q: %w", ys, err)
	}
	return lon, lat, nil
}

func parseDeg(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "d"), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return v, nil
}

func parsePlain(s string) (float64, error) {
	s = strings.TrimRight(s, "ip")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return v, nil
}

// Rings splits a multi-ring annulus into consecutive (inner, outer) pairs: for Annulus
// [r1, r2, r3] → [[r1, r2], [r2, r3]]; for EllipseAnnulus/BoxAnnulus the pairs are
// (a_i, b_i, a_{i+1}, b_{i+1}). Other shapes return nil.
func (r *Region) Rings() [][]float64 {
	var out [][]float64
	switch r.Shape {
	case Annulus:
		for i := 0; i+1 < len(r.Sizes); i++ {
			out = append(out, []float64{r.Sizes[i], r.Sizes[i+1]})
		}
	case EllipseAnnulus, BoxAnnulus:
		for i := 0; i+3 < len(r.Sizes); i += 2 {
			out = append(out, []float64{r.Sizes[i], r.Sizes[i+1], r.Sizes[i+2], r.Sizes[i+3]})
		}
	}
	return out
}

// SkyFrame returns the celestial frame of a sky region (astropy's defaults: fk5 J2000,
// fk4 B1950 with E-terms, barycentric mean ecliptic J2000); ok is false for image and
// physical regions.
func (r *Region) SkyFrame() (f sky.Frame, ok bool) {
	switch r.Frame {
	case FrameICRS:
		return sky.FrameICRS, true
	case FrameFK5:
		return sky.FrameFK5J2000, true
	case FrameFK4:
		return sky.FrameFK4B1950, true
	case FrameGalactic:
		return sky.FrameGalactic, true
	case FrameEcliptic:
		return sky.FrameEclipticBarycentric, true
	}
	return sky.Frame{}, false
}

// ICRS returns the region's points converted to ICRS (degrees). Sizes and angles are
// not changed: angles stay relative to the region's own frame.
func (r *Region) ICRS() ([][2]float64, error) {
	f, ok := r.SkyFrame()
	if !ok {
		return nil, fmt.Errorf("%s region in %s coordinates has no celestial position", r.Shape, r.Frame)
	}
	tr, err := sky.NewTransform(f, sky.FrameICRS)
	if err != nil {
		return nil, fmt.Errorf("region frame %s: %w", r.Frame, err)
	}
	out := make([][2]float64, len(r.Points))
	for i, p := range r.Points {
		out[i][0], out[i][1] = tr.Convert(p[0], p[1])
	}
	return out, nil
}
