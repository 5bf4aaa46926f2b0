package sky

import "math"

// Time scales and epochs. All dates here are Julian Dates in TT.
const (
	jdJ2000     = 2451545.0     // J2000.0 (TT)
	daysPerJY   = 365.25        // days per Julian year
	daysPerBY   = 365.242198781 // days per tropical (Besselian) year, as ERFA's epb2jd
	jdB1900     = 2415020.31352 // JD of B1900.0 (ERFA epb2jd)
	arcsec2rad  = math.Pi / (180 * 3600)
	daysPerJCen = 36525.0
)

// jdFromJulianEpoch converts a Julian epoch (e.g. 2000.0) to a JD.
func jdFromJulianEpoch(j float64) float64 { return jdJ2000 + (j-2000)*daysPerJY }

// jdFromBesselianEpoch converts a Besselian epoch (e.g. 1950.0) to a JD.
func jdFromBesselianEpoch(b float64) float64 { return jdB1900 + (b-1900)*daysPerBY }

// julianEpoch converts a JD to a Julian epoch.
func julianEpoch(jd float64) float64 { return 2000 + (jd-jdJ2000)/daysPerJY }

// besselianEpoch converts a JD to a Besselian epoch.
func besselianEpoch(jd float64) float64 { return 1900 + (jd-jdB1900)/daysPerBY }

// obl06 is the mean obliquity of the ecliptic, IAU 2006 (Hilton et al. 2006),
// in radians, for a TT Julian Date.
func obl06(jd float64) float64 {
	t := (jd - jdJ2000) / daysPerJCen
	return (84381.406 + (-46.836769+(-0.0001831+(0.00200340+(-0.000000576+(-0.0000000434)*t)*t)*t)*t)*t) * arcsec2rad
}

// obl80 is the mean obliquity of the ecliptic, IAU 1980, in radians.
func obl80(jd float64) float64 {
	t := (jd - jdJ2000) / daysPerJCen
	return (84381.448 + (-46.8150+(-0.00059+0.001813*t)*t)*t) * arcsec2rad
}

// pfw06 returns the IAU 2006 Fukushima-Williams precession angles (with frame
// bias) gamma_bar, phi_bar, psi_bar and epsilon_A in radians (Wallace &
// Capitaine 2006).
func pfw06(jd float64) (gamb, phib, psib, epsa float64) {
	t := (jd - jdJ2000) / daysPerJCen
	gamb = (-0.052928 + (10.556378+(0.4932044+(-0.00031238+(-0.000002788+(0.0000000260)*t)*t)*t)*t)*t) * arcsec2rad
	phib = (84381.412819 + (-46.811016+(0.0511268+(0.00053289+(-0.000000440+(-0.0000000176)*t)*t)*t)*t)*t) * arcsec2rad
	psib = (-0.041775 + (5038.481484+(1.5584175+(-0.00018522+(-0.000026452+(-0.0000000148)*t)*t)*t)*t)*t) * arcsec2rad
	epsa = obl06(jd)
	return
}

// fw2m builds the rotation matrix R1(-eps)·R3(-psi)·R1(phi)·R3(gamma) from
// Fukushima-Williams angles.
func fw2m(gamb, phib, psi, eps float64) mat3 {
	return rotX(-eps).mul(rotZ(-psi)).mul(rotX(phib)).mul(rotZ(gamb))
}

// pmat06 is the IAU 2006 bias-precession matrix (GCRS to mean equator and
// equinox of date).
func pmat06(jd float64) mat3 {
	return fw2m(pfw06(jd))
}

// bias06 is the frame bias matrix (pmat06 at J2000).
var bias06 = pmat06(jdJ2000)

// prec06 is the IAU 2006 precession matrix (without frame bias) from J2000 to
// the mean equator and equinox of date.
func prec06(jd float64) mat3 {
	return pmat06(jd).mul(bias06.t())
}

// precessFK5 is the precession matrix from the mean equator and equinox of
// Julian epoch from to that of to, as astropy's FK5 (IAU 2006 precession
// through J2000).
func precessFK5(from, to float64) mat3 {
	if from == to {
		return ident
	}
	var a, b mat3 = ident, ident
	if from != 2000 {
		a = prec06(jdFromJulianEpoch(from)).t()
	}
	if to != 2000 {
		b = prec06(jdFromJulianEpoch(to))
	}
	return b.mul(a)
}

// ecm06 is the ICRS to mean ecliptic and equinox of date rotation matrix,
// IAU 2006 (bias-precession followed by the obliquity rotation).
func ecm06(jd float64) mat3 {
	return rotX(obl06(jd)).mul(pmat06(jd))
}

// precessFK4 is Newcomb's precession matrix between Besselian epochs, as
// used by astropy for FK4 (Andoyer's expressions, times in tropical
// millennia from B1850).
func precessFK4(from, to float64) mat3 {
	if from == to {
		return ident
	}
	t1 := (from - 1850) / 1000
	t2 := (to - 1850) / 1000
	dt := t2 - t1
	zeta1 := 23035.545 + t1*139.720 + 0.060*t1*t1
	zeta := ((17.995*dt+(30.240-0.27*t1))*dt + zeta1) * dt / 3600
	z := ((18.325*dt+(109.480+0.39*t1))*dt + zeta1) * dt / 3600
	theta1 := 20051.12 - 85.29*t1 - 0.37*t1*t1
	theta := ((-41.8*dt+(-42.65-0.37*t1))*dt + theta1) * dt / 3600
	return rotZ(-z * deg2rad).mul(rotY(theta * deg2rad)).mul(rotZ(-zeta * deg2rad))
}

// icrsToFK5J2000 is the frame bias from ICRS to FK5 J2000 of USNO Circular
// 179 (eta0 = -19.9 mas, xi0 = 9.1 mas, da0 = -22.9 mas), as astropy uses.
var icrsToFK5J2000 = func() mat3 {
	const mas = deg2rad / 3600000
	eta0, xi0, da0 := -19.9*mas, 9.1*mas, -22.9*mas
	return rotX(-eta0).mul(rotY(xi0)).mul(rotZ(da0))
}()

// b1950ToJ2000 is the FK4 B1950 to FK5 J2000 rotation of Murray (1989, A&A
// 218, 325, eq. 28) and fk4Corr its time derivative per Julian century (eq.
// 29), correcting for the rotation of the FK4 system.
var (
	b1950ToJ2000 = mat3{
		{0.9999256794956877, -0.0111814832204662, -0.0048590038153592},
		{0.0111814832391717, 0.9999374848933135, -0.0000271625947142},
		{0.0048590037723143, -0.0000271702937440, 0.9999881946023742},
	}
	fk4Corr = mat3{
		{-0.0026455262e-6, -1.1539918689e-6, +2.1111346190e-6},
		{+1.1540628161e-6, -0.0129042997e-6, +0.0236021478e-6},
		{-2.1112979048e-6, -0.0056024448e-6, +0.0102587734e-6},
	}
)

// fk4ToFK5Matrix returns the rotation from FK4 (without E-terms) at equinox
// B1950 to FK5 J2000 for an observation at Besselian epoch obstime.
func fk4ToFK5Matrix(obstime float64) mat3 {
	t := (julianEpoch(jdFromBesselianEpoch(obstime)) - 1950) / 100
	var m mat3
	for i := range m {
		for j := range m[i] {
			m[i][j] = b1950ToJ2000[i][j] + fk4Corr[i][j]*t
		}
	}
	return m
}

// fk4ETerms returns the E-terms of aberration vector for a Besselian
// equinox, as astropy computes it (Explanatory Supplement 1992 expressions
// for eccentricity and perigee, IAU 1980 obliquity, aberration constant
// 20.49552").
func fk4ETerms(equinox float64) [3]float64 {
	jd := jdFromBesselianEpoch(equinox)
	t := (jd - jdFromBesselianEpoch(1950)) / daysPerJCen
	k := 0.0056932 * deg2rad
	e := 0.01673011 + (-0.00004193-0.000000126*t)*t
	g := (1015489.951 + (6190.67+(1.65+0.012*t)*t)*t) / 3600 * deg2rad
	o := obl80(jd)
	sg, cg := math.Sincos(g)
	so, co := math.Sincos(o)
	return [3]float64{e * k * sg, -e * k * cg * co, -e * k * cg * so}
}

// addETerms converts a unit vector without E-terms to one with E-terms of
// aberration a (inverse of removeETerms, solved by fixed-point iteration as
// astropy does).
func addETerms(v, a [3]float64) [3]float64 {
	r := v
	for i := 0; i < 10; i++ {
		r = scale(add(a, v), 1/(1+dot(a, r)))
	}
	return unit(r)
}

// removeETerms removes the E-terms of aberration a from a unit vector.
func removeETerms(v, a [3]float64) [3]float64 {
	return unit(add(sub(v, a), scale(v, dot(a, v))))
}

// galactic pole and origin definitions as astropy uses them: the IAU 1958
// definition in FK4 (no E-terms) B1950, and its transformation to FK5 J2000.
const (
	ngpRAB1950   = 192.25
	ngpDecB1950  = 27.4
	lon0B1950    = 123.0
	ngpRAJ2000   = 192.8594812065348
	ngpDecJ2000  = 27.12825118085622
	lon0J2000    = 122.9319185680026
	gcLonOffset  = 180.0
	poleColatDeg = 90.0
)

func galacticMatrix(ra, dec, lon0 float64) mat3 {
	return rotZ((gcLonOffset - lon0) * deg2rad).mul(rotY((poleColatDeg - dec) * deg2rad)).mul(rotZ(ra * deg2rad))
}

var (
	fk5J2000ToGal  = galacticMatrix(ngpRAJ2000, ngpDecJ2000, lon0J2000)
	fk4B1950ToGal  = galacticMatrix(ngpRAB1950, ngpDecB1950, lon0B1950)
	icrsToGalactic = fk5J2000ToGal.mul(icrsToFK5J2000)
)

// JulianToBesselian converts a Julian epoch (e.g. 2000.0) to the Besselian
// epoch of the same instant (1999.99872...).
func JulianToBesselian(j float64) float64 { return besselianEpoch(jdFromJulianEpoch(j)) }

// BesselianToJulian converts a Besselian epoch (e.g. 1950.0) to the Julian
// epoch of the same instant (1949.99979...).
func BesselianToJulian(b float64) float64 { return julianEpoch(jdFromBesselianEpoch(b)) }

// JulianEpochFromMJD returns the Julian epoch of a Modified Julian Date
// (such as FITS MJD-OBS, taken as TT).
func JulianEpochFromMJD(mjd float64) float64 { return julianEpoch(mjd + 2400000.5) }

// BesselianEpochFromMJD returns the Besselian epoch of a Modified Julian
// Date.
func BesselianEpochFromMJD(mjd float64) float64 { return besselianEpoch(mjd + 2400000.5) }
