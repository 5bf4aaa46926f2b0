package view

import (
	"fmt"
	"math"
	"strings"
)

// Camera is the view's viewpoint: a projection centred on (Lon, Lat) of the
// view frame, showing Fov degrees across the canvas width. Canvas coordinates
// are CSS pixels with the origin at the top-left corner and y downwards, as in
// DOM events; pixel centres are at half-integers.
type Camera struct {
	Lon, Lat      float64 // centre, degrees
	Fov           float64 // horizontal field of view, degrees
	Proj          string  // projection code: SIN, TAN, AIT, ...
	Width, Height float64 // canvas size in CSS pixels
	DPR           float64 // device pixels per CSS pixel
}

// projector maps between canvas pixels and the sky for one camera.
type projector interface {
	PixelToWorld(x, y float64) (lon, lat float64, ok bool)
	WorldToPixel(lon, lat float64) (x, y float64, ok bool)
}

// fovLimits gives the largest horizontal field of view each projection can show.
var fovLimits = map[string]float64{
	"SIN": 180, "TAN": 150, "STG": 240, "ZEA": 360, "ARC": 360,
	"AIT": 360, "MOL": 360, "CAR": 360, "MER": 360,
}

// MinFov is the smallest field of view, in degrees (0.36 arcsec).
const MinFov = 1e-4

// Projections lists the projection codes a view can use.
func Projections() []string {
	return []string{"SIN", "TAN", "STG", "ZEA", "ARC", "AIT", "MOL", "CAR", "MER"}
}

// checkProj validates a projection code.
func checkProj(p string) (string, error) {
	p = strings.ToUpper(strings.TrimSpace(p))
	if _, ok := fovLimits[p]; !ok {
		return "", fmt.Errorf("view: unknown projection %q (want one of %s)", p, strings.Join(Projections(), ", "))
	}
	return p, nil
}

// clamp keeps the camera inside its limits: latitude in [-90, 90], longitude
// in [0, 360), field of view between MinFov and the projection's maximum.
func (c *Camera) clamp() {
	if math.IsNaN(c.Lon) || math.IsInf(c.Lon, 0) {
		c.Lon = 0
	}
	if math.IsNaN(c.Lat) || math.IsInf(c.Lat, 0) {
		c.Lat = 0
	}
	c.Lon = math.Mod(c.Lon, 360)
	if c.Lon < 0 {
		c.Lon += 360
	}
	c.Lat = math.Max(-90, math.Min(90, c.Lat))
	maxFov := fovLimits[c.Proj]
	if maxFov == 0 {
		maxFov = 180
	}
	if math.IsNaN(c.Fov) || c.Fov <= 0 {
		c.Fov = maxFov
	}
	c.Fov = math.Max(MinFov, math.Min(maxFov, c.Fov))
	if c.Width < 1 {
		c.Width = 1
	}
	if c.Height < 1 {
		c.Height = 1
	}
	if c.DPR <= 0 || math.IsNaN(c.DPR) {
		c.DPR = 1
	}
}

// Scale returns the angular size of one CSS pixel at the centre, in degrees.
func (c Camera) Scale() float64 { return c.Fov / c.Width }

// unit vector helpers, degrees in, radians inside.

func toVec(lon, lat float64) [3]float64 {
	l, b := lon*math.Pi/180, lat*math.Pi/180
	cb := math.Cos(b)
	return [3]float64{cb * math.Cos(l), cb * math.Sin(l), math.Sin(b)}
}

func fromVec(v [3]float64) (lon, lat float64) {
	lon = math.Atan2(v[1], v[0]) * 180 / math.Pi
	if lon < 0 {
		lon += 360
	}
	if lon >= 360 {
		lon -= 360
	}
	lat = math.Atan2(v[2], math.Hypot(v[0], v[1])) * 180 / math.Pi
	return lon, lat
}

func dot(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// rotateTowards applies to v the rotation that takes unit vector from onto unit
// vector to (about their common perpendicular), by Rodrigues' formula.
func rotateTowards(v, from, to [3]float64) [3]float64 {
	axis := cross(from, to)
	s := math.Sqrt(dot(axis, axis))
	c := dot(from, to)
	if s < 1e-15 {
		return v
	}
	k := [3]float64{axis[0] / s, axis[1] / s, axis[2] / s}
	kv := cross(k, v)
	kd := dot(k, v)
	var out [3]float64
	for i := range 3 {
		out[i] = v[i]*c + kv[i]*s + k[i]*kd*(1-c)
	}
	return out
}

// angDist returns the angular distance between two positions, in degrees,
// accurate at every separation.
func angDist(lon1, lat1, lon2, lat2 float64) float64 {
	a, b := toVec(lon1, lat1), toVec(lon2, lat2)
	c := cross(a, b)
	return math.Atan2(math.Sqrt(dot(c, c)), dot(a, b)) * 180 / math.Pi
}
