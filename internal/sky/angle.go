package sky

import "math"

const (
	deg2rad = math.Pi / 180
	rad2deg = 180 / math.Pi
)

// sincosd returns the sine and cosine of an angle in degrees. Multiples of
// 90° give exact results (0, ±1), and the argument is reduced exactly before
// conversion to radians, so that large angles lose no precision.
func sincosd(x float64) (s, c float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.NaN(), math.NaN()
	}
	r := x
	if r < 0 || r >= 360 {
		r = math.Mod(x, 360) // exact
		if r < 0 {
			r += 360 // may round up to 360 for tiny negative r: handled below
		}
	}
	// Quadrant reduction (exact: subtracting multiples of 90 from a value in
	// [0,360) is exact in binary floating point).
	q := int(r / 90) // 0..4
	r -= float64(q) * 90
	if r > 45 {
		q++
		r -= 90
	}
	var ss, cc float64
	if r == 0 {
		ss, cc = 0, 1
	} else {
		ss, cc = math.Sincos(r * deg2rad)
	}
	switch q & 3 {
	case 0:
		return ss, cc
	case 1:
		return cc, -ss
	case 2:
		return -ss, -cc
	default:
		return -cc, ss
	}
}

// NormLon returns lon reduced to [0, 360). NaN and ±Inf give NaN.
func NormLon(lon float64) float64 {
	if math.IsNaN(lon) || math.IsInf(lon, 0) {
		return math.NaN()
	}
	r := math.Mod(lon, 360)
	if r < 0 {
		r += 360
		if r >= 360 { // -tiny + 360 rounds to 360
			r = 0
		}
	}
	if r == 0 {
		r = 0 // turn -0 into +0
	}
	return r
}

// NormLon180 returns lon reduced to [-180, 180). NaN and ±Inf give NaN.
func NormLon180(lon float64) float64 {
	r := NormLon(lon)
	if r >= 180 {
		r -= 360
	}
	return r
}

// ClampLat returns lat limited to [-90, 90]. NaN gives NaN.
func ClampLat(lat float64) float64 {
	switch {
	case lat > 90:
		return 90
	case lat < -90:
		return -90
	}
	return lat
}

// Vec converts (lon, lat) in degrees to a unit vector (x towards lon=0 on the
// equator, z towards the north pole). NaN or ±Inf input gives NaN components.
func Vec(lon, lat float64) [3]float64 {
	sl, cl := sincosd(lon)
	sb, cb := sincosd(lat)
	return [3]float64{cb * cl, cb * sl, sb}
}

// LonLat converts a vector (of any non-zero length) to (lon, lat) in degrees,
// lon in [0, 360), lat in [-90, 90]. At the poles lon is 0. The zero vector or
// a vector with NaN/Inf components gives (NaN, NaN).
func LonLat(v [3]float64) (lon, lat float64) {
	x, y, z := v[0], v[1], v[2]
	if !finite3(v) || (x == 0 && y == 0 && z == 0) {
		return math.NaN(), math.NaN()
	}
	r := math.Hypot(x, y)
	lat = math.Atan2(z, r) * rad2deg
	if r == 0 {
		return 0, lat
	}
	lon = math.Atan2(y, x) * rad2deg // [-180, 180]
	if lon < 0 {
		lon += 360
		if lon >= 360 {
			lon = 0
		}
	}
	return lon + 0, lat // +0 turns -0 into 0
}

func finite3(v [3]float64) bool {
	for _, c := range v {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return false
		}
	}
	return true
}

// Separation returns the angular distance in degrees between (lon1, lat1) and
// (lon2, lat2), computed with the Vincenty formula (as astropy's
// angular_separation), which is accurate for all separations from 0 to 180°.
// Any NaN/Inf input gives NaN.
func Separation(lon1, lat1, lon2, lat2 float64) float64 {
	sdl, cdl := sincosd(lon2 - lon1)
	s1, c1 := sincosd(lat1)
	s2, c2 := sincosd(lat2)
	if math.IsNaN(sdl) || math.IsNaN(s1) || math.IsNaN(s2) {
		return math.NaN()
	}
	num1 := c2 * sdl
	num2 := c1*s2 - s1*c2*cdl
	den := s1*s2 + c1*c2*cdl
	return math.Atan2(math.Hypot(num1, num2), den) * rad2deg
}

// SeparationVec returns the angle in degrees between two vectors of any
// non-zero length, accurate at all angles (atan2 of cross and dot products).
func SeparationVec(a, b [3]float64) float64 {
	cx := a[1]*b[2] - a[2]*b[1]
	cy := a[2]*b[0] - a[0]*b[2]
	cz := a[0]*b[1] - a[1]*b[0]
	dot := a[0]*b[0] + a[1]*b[1] + a[2]*b[2]
	return math.Atan2(math.Sqrt(cx*cx+cy*cy+cz*cz), dot) * rad2deg
}

// PositionAngle returns the position angle in degrees, in [0, 360), of
// (lon2, lat2) as seen from (lon1, lat1), measured from north through east, as
// astropy's position_angle. Coincident points give 0. NaN/Inf give NaN.
func PositionAngle(lon1, lat1, lon2, lat2 float64) float64 {
	sdl, cdl := sincosd(lon2 - lon1)
	s1, c1 := sincosd(lat1)
	s2, c2 := sincosd(lat2)
	if math.IsNaN(sdl) || math.IsNaN(s1) || math.IsNaN(s2) {
		return math.NaN()
	}
	x := s2*c1 - c2*s1*cdl
	y := sdl * c2
	return NormLon(math.Atan2(y, x) * rad2deg)
}

// Offset returns the point reached by moving from (lon, lat) along a great
// circle by sep degrees in the direction of position angle pa (degrees east of
// north), the inverse of Separation and PositionAngle (astropy's
// directional_offset_by). At a pole, north is taken along the meridian lon, so
// that pa = 0 from the north pole leads down the meridian lon+180°, as astropy
// does. NaN/Inf input gives (NaN, NaN).
func Offset(lon, lat, pa, sep float64) (lon2, lat2 float64) {
	sl, cl := sincosd(lon)
	sb, cb := sincosd(lat)
	sp, cp := sincosd(pa)
	sr, cr := sincosd(sep)
	if math.IsNaN(sl) || math.IsNaN(sb) || math.IsNaN(sp) || math.IsNaN(sr) {
		return math.NaN(), math.NaN()
	}
	p := [3]float64{cb * cl, cb * sl, sb}
	north := [3]float64{-sb * cl, -sb * sl, cb}
	east := [3]float64{-sl, cl, 0}
	var v [3]float64
	for i := range v {
		v[i] = cr*p[i] + sr*(cp*north[i]+sp*east[i])
	}
	lon2, lat2 = LonLat(v)
	if math.Hypot(v[0], v[1]) == 0 {
		// Exactly at a pole: the longitude is undefined; keep the
		// starting meridian's value, as the point is the same anyway.
		lon2 = NormLon(lon)
	}
	return lon2, lat2
}
