package sky

import "math"

// A low-precision ephemeris of the Earth, sufficient for annual aberration
// at the milliarcsecond level near J2000: heliocentric Keplerian orbits of
// the planets and of the Earth-Moon barycentre from E. M. Standish,
// "Keplerian Elements for Approximate Positions of the Major Planets" (JPL,
// Table 1, mean ecliptic and equinox of J2000, valid 1800-2050), the Moon
// from the low-precision formulae of the Astronomical Almanac (for the
// Earth's offset from the Earth-Moon barycentre), and the Sun's offset from
// the solar-system barycentre from the planets' masses.

// keplerElements holds the Standish elements and their rates per Julian
// century: a (au), e, I (deg), L (deg), long. of perihelion (deg), long. of
// ascending node (deg); massRatio is M_sun / M_planet.
type keplerElements struct {
	el, rate  [6]float64
	massRatio float64
}

var planets = [...]keplerElements{
	// Mercury
	{[6]float64{0.38709927, 0.20563593, 7.00497902, 252.25032350, 77.45779628, 48.33076593},
		[6]float64{0.00000037, 0.00001906, -0.00594749, 149472.67411175, 0.16047689, -0.12534081}, 6023600},
	// Venus
	{[6]float64{0.72333566, 0.00677672, 3.39467605, 181.97909950, 131.60246718, 76.67984255},
		[6]float64{0.00000390, -0.00004107, -0.00078890, 58517.81538729, 0.00268329, -0.27769418}, 408523.71},
	// Earth-Moon barycentre
	{[6]float64{1.00000261, 0.01671123, -0.00001531, 100.46457166, 102.93768193, 0.0},
		[6]float64{0.00000562, -0.00004392, -0.01294668, 35999.37244981, 0.32327364, 0.0}, 328900.56},
	// Mars
	{[6]float64{1.52371034, 0.09339410, 1.84969142, -4.55343205, -23.94362959, 49.55953891},
		[6]float64{0.00001847, 0.00007882, -0.00813131, 19140.30268499, 0.44441088, -0.29257343}, 3098708},
	// Jupiter
	{[6]float64{5.20288700, 0.04838624, 1.30439695, 34.39644051, 14.72847983, 100.47390909},
		[6]float64{-0.00011607, -0.00013253, -0.00183714, 3034.74612775, 0.21252668, 0.20469106}, 1047.3486},
	// Saturn
	{[6]float64{9.53667594, 0.05386179, 2.48599187, 49.95424423, 92.59887831, 113.66242448},
		[6]float64{-0.00125060, -0.00050991, 0.00193609, 1222.49362201, -0.41897216, -0.28867794}, 3497.898},
	// Uranus
	{[6]float64{19.18916464, 0.04725744, 0.77263783, 313.23810451, 170.95427630, 74.01692503},
		[6]float64{-0.00196176, -0.00004397, -0.00242939, 428.48202785, 0.40805281, 0.04240589}, 22902.98},
	// Neptune
	{[6]float64{30.06992276, 0.00859048, 1.77004347, -55.12002969, 44.96476227, 131.78422574},
		[6]float64{0.00026291, 0.00005105, 0.00035372, 218.45945325, -0.32241464, -0.00508664}, 19412.24},
}

const (
	embIndex       = 2
	earthMoonRatio = 81.30056 // M_earth / M_moon
)

// keplerPosition returns the heliocentric position (au) of a body on its
// Keplerian orbit, in the mean ecliptic and equinox of J2000, at T Julian
// centuries from J2000 (TDB).
func keplerPosition(k *keplerElements, T float64) [3]float64 {
	var el [6]float64
	for i := range el {
		el[i] = k.el[i] + k.rate[i]*T
	}
	a, e := el[0], el[1]
	inc := el[2] * deg2rad
	L, varpi, node := el[3], el[4], el[5]
	omega := (varpi - node) * deg2rad
	M := math.Mod(L-varpi, 360)
	if M > 180 {
		M -= 360
	} else if M < -180 {
		M += 360
	}
	M *= deg2rad
	// Kepler's equation by Newton's method.
	E := M + e*math.Sin(M)
	for i := 0; i < 20; i++ {
		dE := (M - (E - e*math.Sin(E))) / (1 - e*math.Cos(E))
		E += dE
		if math.Abs(dE) < 1e-15 {
			break
		}
	}
	xp := a * (math.Cos(E) - e)
	yp := a * math.Sqrt(1-e*e) * math.Sin(E)
	so, co := math.Sincos(omega)
	sn, cn := math.Sincos(node * deg2rad)
	si, ci := math.Sincos(inc)
	return [3]float64{
		(co*cn-so*sn*ci)*xp + (-so*cn-co*sn*ci)*yp,
		(co*sn+so*cn*ci)*xp + (-so*sn+co*cn*ci)*yp,
		(so*si)*xp + (co*si)*yp,
	}
}

// moonPosition returns the geocentric position of the Moon (au) in the
// ecliptic of J2000 at T Julian centuries from J2000, from the Astronomical
// Almanac's low-precision formulae (about 0.3° in longitude, 0.2° in
// latitude); the ecliptic of date is rotated to J2000 by the general
// precession in longitude.
func moonPosition(T float64) [3]float64 {
	s := func(a, b float64) float64 { return math.Sin((a + b*T) * deg2rad) }
	c := func(a, b float64) float64 { return math.Cos((a + b*T) * deg2rad) }
	lon := 218.32 + 481267.881*T +
		6.29*s(135.0, 477198.87) - 1.27*s(259.3, -413335.36) +
		0.66*s(235.7, 890534.22) + 0.21*s(269.9, 954397.74) -
		0.19*s(357.5, 35999.05) - 0.11*s(186.5, 966404.03)
	lat := 5.13*s(93.3, 483202.02) + 0.28*s(228.2, 960400.89) -
		0.28*s(318.3, 6003.15) - 0.17*s(217.6, -407332.21)
	par := 0.9508 + 0.0518*c(135.0, 477198.87) + 0.0095*c(259.3, -413335.36) +
		0.0078*c(235.7, 890534.22) + 0.0028*c(269.9, 954397.74)
	const earthRadiusAU = 6378.137e3 / auMeters
	r := earthRadiusAU / math.Sin(par*deg2rad)
	lon -= 1.396971 * T // precession in longitude, of date -> J2000 (approx.)
	return scale(Vec(lon, lat), r)
}

// heliocentric ecliptic J2000 states at T centuries.
func earthHelioEcl(T float64) [3]float64 {
	emb := keplerPosition(&planets[embIndex], T)
	moon := moonPosition(T)
	return sub(emb, scale(moon, 1/(1+earthMoonRatio)))
}

// sunBaryEcl returns the position of the Sun relative to the solar-system
// barycentre (au, ecliptic J2000).
func sunBaryEcl(T float64) [3]float64 {
	var sum [3]float64
	mtot := 1.0
	for i := range planets {
		p := keplerPosition(&planets[i], T)
		m := 1 / planets[i].massRatio
		sum = add(sum, scale(p, m))
		mtot += m
	}
	return scale(sum, -1/mtot)
}

// eclJ2000ToICRS rotates vectors from the mean ecliptic and equinox of J2000
// to ICRS axes.
var eclJ2000ToICRS = ecm06(jdJ2000).t()

// earthState returns the heliocentric position of the Earth (au) and its
// barycentric velocity (au/day), in ICRS axes, at a TT (≈TDB) Julian Date.
func earthState(jd float64) (helio, baryVel [3]float64) {
	T := (jd - jdJ2000) / daysPerJCen
	const h = 0.01 // days
	dT := h / daysPerJCen
	bary := func(T float64) [3]float64 { return add(earthHelioEcl(T), sunBaryEcl(T)) }
	vel := scale(sub(bary(T+dT), bary(T-dT)), 1/(2*h))
	return eclJ2000ToICRS.apply(earthHelioEcl(T)), eclJ2000ToICRS.apply(vel)
}
