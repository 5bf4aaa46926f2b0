package sky

import "math"

// Physical constants (IAU 2012 / ERFA values).
const (
	auMeters   = 149597870.7e3            // astronomical unit, m
	cMPS       = 299792458.0              // speed of light, m/s
	daySec     = 86400.0                  // seconds per day
	srsAU      = 1.97412574336e-8         // Schwarzschild radius of the Sun, au
	lightAUDay = auMeters / cMPS / daySec // light time for 1 au, days
)

// astrom holds the star-independent parameters of the ICRS <-> GCRS
// transformation for a geocentric observer (ERFA's apcs with zero
// observer offset).
type astrom struct {
	eh  [3]float64 // unit vector Sun -> observer
	em  float64    // distance Sun -> observer, au
	v   [3]float64 // barycentric observer velocity, units of c
	bm1 float64    // sqrt(1 - |v|^2)
}

// newAstrom computes the parameters for a TT Julian Date.
func newAstrom(jdTT float64) *astrom {
	ph, vb := earthState(jdTT)
	a := &astrom{}
	a.em = norm(ph)
	a.eh = scale(ph, 1/a.em)
	v2 := 0.0
	for i := range vb {
		a.v[i] = vb[i] * lightAUDay
		v2 += a.v[i] * a.v[i]
	}
	a.bm1 = math.Sqrt(1 - v2)
	return a
}

// aberrate applies stellar aberration to a natural direction (Explanatory
// Supplement 2013 eq. 7.40 with rigorous normalisation and the Sun's
// potential term, as ERFA's ab).
func (a *astrom) aberrate(p [3]float64) [3]float64 {
	pdv := dot(p, a.v)
	w1 := 1 + pdv/(1+a.bm1)
	w2 := srsAU / a.em
	var r [3]float64
	for i := range r {
		r[i] = p[i]*a.bm1 + w1*a.v[i] + w2*(a.v[i]-pdv*p[i])
	}
	return unit(r)
}

// deflect applies light deflection by the Sun to a direction p of a source
// at infinity (ERFA's ldsun: the deflection limiter grows with the
// observer's distance from the Sun).
func (a *astrom) deflect(p [3]float64) [3]float64 {
	em2 := a.em * a.em
	if em2 < 1 {
		em2 = 1
	}
	dlim := 1e-6 / em2
	qdqpe := dot(p, add(p, a.eh))
	w := srsAU / a.em / math.Max(qdqpe, dlim)
	peq := cross(p, cross(a.eh, p))
	return add(p, scale(peq, w))
}

// icrsToGCRS converts a unit ICRS direction of a source at infinity to the
// GCRS (ERFA's atciqz with an identity bias-precession-nutation matrix).
func (a *astrom) icrsToGCRS(p [3]float64) [3]float64 {
	return a.aberrate(a.deflect(p))
}

// gcrsToICRS inverts icrsToGCRS by iteration (as ERFA's aticq: two
// iterations for aberration, five for light deflection).
func (a *astrom) gcrsToICRS(p [3]float64) [3]float64 {
	var d [3]float64
	pnat := p
	for j := 0; j < 2; j++ {
		before := unit(sub(p, d))
		after := a.aberrate(before)
		d = sub(after, before)
		pnat = unit(sub(p, d))
	}
	d = [3]float64{}
	pco := pnat
	for j := 0; j < 5; j++ {
		before := unit(sub(pnat, d))
		after := a.deflect(before)
		d = sub(after, before)
		pco = unit(sub(pnat, d))
	}
	return pco
}
