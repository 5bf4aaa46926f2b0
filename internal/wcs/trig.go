package wcs

import "math"

const (
	d2r = math.Pi / 180
	r2d = 180 / math.Pi
	// trigTol is the tolerance WCSLIB's degree-based inverse functions accept
	// beyond ±1 before returning NaN.
	trigTol = 1e-10
)

// isMultiple reports whether a is exactly an integer multiple of m (m > 0),
// i.e. math.Mod(a, m) == 0, without the cost of math.Mod.
func isMultiple(a, m float64) bool {
	q := a / m
	if q != math.Floor(q) {
		// Not an integer quotient: a is no exact multiple unless the
		// division rounded, which only happens for huge |q|.
		return math.Abs(q) >= 1<<50 && math.Mod(a, m) == 0
	}
	if math.Abs(q) < 1<<50 {
		return q*m == a
	}
	return math.Mod(a, m) == 0
}

// fmod is math.Mod with a fast path for |x| < 2y (exact, like math.Mod).
func fmod(x, y float64) float64 {
	switch {
	case x >= 0 && x < y:
		return x
	case x < 0 && x > -y:
		return x
	case x >= y && x < 2*y:
		return x - y
	case x <= -y && x > -2*y:
		return x + y
	}
	return math.Mod(x, y)
}

// sind returns sin(a) for a in degrees, exact at multiples of 90.
func sind(a float64) float64 {
	if isMultiple(a, 90) {
		switch i := int(math.Abs(math.Floor(a/90-0.5))) % 4; i {
		case 0:
			return 1
		case 1:
			return 0
		case 2:
			return -1
		default:
			return 0
		}
	}
	return math.Sin(a * d2r)
}

// cosd returns cos(a) for a in degrees, exact at multiples of 90.
func cosd(a float64) float64 {
	if isMultiple(a, 90) {
		switch i := int(math.Abs(math.Floor(a/90+0.5))) % 4; i {
		case 0:
			return 1
		case 1:
			return 0
		case 2:
			return -1
		default:
			return 0
		}
	}
	return math.Cos(a * d2r)
}

// sincosd returns sin and cos of a (degrees), exact at multiples of 90.
func sincosd(a float64) (s, c float64) {
	if isMultiple(a, 90) {
		return sind(a), cosd(a)
	}
	return math.Sincos(a * d2r)
}

// tand returns tan(a) for a in degrees, exact at multiples of 45.
func tand(a float64) float64 {
	r := fmod(a, 360)
	switch {
	case r == 0 || math.Abs(r) == 180:
		return 0
	case r == 45 || r == 225 || r == -135 || r == -315:
		return 1
	case r == -45 || r == -225 || r == 135 || r == 315:
		return -1
	}
	return math.Tan(a * d2r)
}

// asind returns asin(v) in degrees, tolerating |v| up to 1+1e-10.
func asind(v float64) float64 {
	switch {
	case v <= -1:
		if v+1 > -trigTol {
			return -90
		}
	case v == 0:
		return 0
	case v >= 1:
		if v-1 < trigTol {
			return 90
		}
	}
	return math.Asin(v) * r2d
}

// acosd returns acos(v) in degrees, tolerating |v| up to 1+1e-10.
func acosd(v float64) float64 {
	switch {
	case v >= 1:
		if v-1 < trigTol {
			return 0
		}
	case v == 0:
		return 90
	case v <= -1:
		if v+1 > -trigTol {
			return 180
		}
	}
	return math.Acos(v) * r2d
}

// atand returns atan(v) in degrees.
func atand(v float64) float64 {
	switch v {
	case -1:
		return -45
	case 0:
		return 0
	case 1:
		return 45
	}
	return math.Atan(v) * r2d
}

// atan2d returns atan2(y, x) in degrees, exact on the axes.
func atan2d(y, x float64) float64 {
	if y == 0 {
		if x >= 0 {
			return 0
		} else if x < 0 {
			return 180
		}
	} else if x == 0 {
		if y > 0 {
			return 90
		} else if y < 0 {
			return -90
		}
	}
	return math.Atan2(y, x) * r2d
}

// copysign returns |x| with the sign of y, treating -0 as positive (as WCSLIB's macro does).
func copysign(x, y float64) float64 {
	if y < 0 {
		return -math.Abs(x)
	}
	return math.Abs(x)
}
