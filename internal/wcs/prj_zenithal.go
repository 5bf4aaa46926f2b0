package wcs

import (
	"errors"
	"math"
)

var errBadParam = errors.New("invalid projection parameters")

// withDefaults returns pv with undefined entries 1..3 replaced by the given defaults.
func withDefaults(pv [pvN]float64, d1, d2, d3 float64) [pvN]float64 {
	if undefined(pv[1]) {
		pv[1] = d1
	}
	if undefined(pv[2]) {
		pv[2] = d2
	}
	if undefined(pv[3]) {
		pv[3] = d3
	}
	return pv
}

// ---- AZP: zenithal/azimuthal perspective (PV2_1 = mu, PV2_2 = gamma).

type azpPrj struct {
	prjBase
	w [8]float64
}

func newAZP(pv [pvN]float64) (*azpPrj, error) {
	p := &azpPrj{}
	pv = withDefaults(pv, 0, 0, math.NaN())
	p.pv = pv
	p.w[0] = r2d * (pv[1] + 1)
	if p.w[0] == 0 {
		return nil, errBadParam
	}
	p.w[3] = cosd(pv[2])
	if p.w[3] == 0 {
		return nil, errBadParam
	}
	p.w[2] = 1 / p.w[3]
	p.w[4] = sind(pv[2])
	p.w[1] = p.w[4] / p.w[3]
	if math.Abs(pv[1]) > 1 {
		p.w[5] = asind(-1 / pv[1])
	} else {
		p.w[5] = -90
	}
	p.w[6] = pv[1] * p.w[3]
	if math.Abs(p.w[6]) < 1 {
		p.w[7] = 1
	}
	return p, nil
}

func (p *azpPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-13
	xj, yj := x+p.x0, y+p.y0
	yc := yj * p.w[3]
	r := math.Sqrt(xj*xj + yc*yc)
	if r == 0 {
		return 0, 90, true
	}
	phi := atan2d(xj, -yc)
	s := r / (p.w[0] + yj*p.w[4])
	t := s * p.pv[1] / math.Sqrt(s*s+1)
	s = atan2d(1, s)
	if math.Abs(t) > 1 {
		if math.Abs(t) > 1+tol {
			return 0, 0, false
		}
		t = copysign(90, t)
	} else {
		t = asind(t)
	}
	a := s - t
	b := s + t + 180
	if a > 90 {
		a -= 360
	}
	if b > 90 {
		b -= 360
	}
	return bchk(1e-13, phi, math.Max(a, b))
}

func (p *azpPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi)
	sinthe, costhe := sincosd(theta)
	s := p.w[1] * cosphi
	t := (p.pv[1] + sinthe) + costhe*s
	if t == 0 {
		return 0, 0, false
	}
	r := p.w[0] * costhe / t
	ok := true
	if theta < p.w[5] {
		ok = false // overlap
	} else if p.w[7] > 0 {
		t = p.pv[1] / math.Sqrt(1+s*s)
		if math.Abs(t) <= 1 {
			s = atand(-s)
			t = asind(t)
			a := s - t
			b := s + t + 180
			if a > 90 {
				a -= 360
			}
			if b > 90 {
				b -= 360
			}
			if theta < math.Max(a, b) {
				ok = false // divergence
			}
		}
	}
	return r*sinphi - p.x0, -r*cosphi*p.w[2] - p.y0, ok
}

// ---- SZP: slant zenithal perspective (PV2_1 = mu, PV2_2 = phi_c, PV2_3 = theta_c).

type szpPrj struct {
	prjBase
	w [9]float64
}

func newSZP(pv [pvN]float64) (*szpPrj, error) {
	p := &szpPrj{}
	pv = withDefaults(pv, 0, 0, 90)
	p.pv = pv
	p.w[0] = 1 / r2d
	p.w[3] = pv[1]*sind(pv[3]) + 1
	if p.w[3] == 0 {
		return nil, errBadParam
	}
	p.w[1] = -pv[1] * cosd(pv[3]) * sind(pv[2])
	p.w[2] = pv[1] * cosd(pv[3]) * cosd(pv[2])
	p.w[4] = r2d * p.w[1]
	p.w[5] = r2d * p.w[2]
	p.w[6] = r2d * p.w[3]
	p.w[7] = (p.w[3]-1)*p.w[3] - 1
	if math.Abs(p.w[3]-1) < 1 {
		p.w[8] = asind(1 - p.w[3])
	} else {
		p.w[8] = -90
	}
	return p, nil
}

func (p *szpPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-13
	xr := (x + p.x0) * p.w[0]
	yr := (y + p.y0) * p.w[0]
	r2 := xr*xr + yr*yr
	x1 := (xr - p.w[1]) / p.w[3]
	y1 := (yr - p.w[2]) / p.w[3]
	xy := xr*x1 + yr*y1
	var z, theta float64
	if r2 < 1e-10 {
		z = r2 / 2
		theta = 90 - r2d*math.Sqrt(r2/(1+xy))
	} else {
		t := x1*x1 + y1*y1
		a := t + 1
		b := xy - t
		c := r2 - xy - xy + t - 1
		d := b*b - a*c
		if d < 0 {
			return 0, 0, false
		}
		d = math.Sqrt(d)
		s1 := (-b + d) / a
		s2 := (-b - d) / a
		sinthe := math.Max(s1, s2)
		if sinthe > 1 {
			if sinthe-1 < tol {
				sinthe = 1
			} else {
				sinthe = math.Min(s1, s2)
			}
		}
		if sinthe < -1 && sinthe+1 > -tol {
			sinthe = -1
		}
		if sinthe > 1 || sinthe < -1 {
			return 0, 0, false
		}
		theta = asind(sinthe)
		z = 1 - sinthe
	}
	phi := atan2d(xr-x1*z, -(yr - y1*z))
	return bchk(1e-13, phi, theta)
}

func (p *szpPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi)
	s := 1 - sind(theta)
	t := p.w[3] - s
	if t == 0 {
		return 0, 0, false
	}
	r := p.w[6] * cosd(theta) / t
	u := p.w[4]*s/t + p.x0
	v := p.w[5]*s/t + p.y0
	ok := true
	if theta < p.w[8] {
		ok = false
	} else if math.Abs(p.pv[1]) > 1 {
		s := p.w[1]*sinphi - p.w[2]*cosphi
		t := 1 / math.Sqrt(p.w[7]+s*s)
		if math.Abs(t) <= 1 {
			s = atan2d(s, p.w[3]-1)
			t = asind(t)
			a := s - t
			b := s + t + 180
			if a > 90 {
				a -= 360
			}
			if b > 90 {
				b -= 360
			}
			if theta < math.Max(a, b) {
				ok = false
			}
		}
	}
	return r*sinphi - u, -r*cosphi - v, ok
}

// ---- TAN: gnomonic.

type tanPrj struct{ prjBase }

func (p *tanPrj) x2s(x, y float64) (float64, float64, bool) {
	xj, yj := x+p.x0, y+p.y0
	r := math.Sqrt(xj*xj + yj*yj)
	phi := 0.0
	if r != 0 {
		phi = atan2d(xj, -yj)
	}
	return bchk(1e-13, phi, atan2d(r2d, r))
}

func (p *tanPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi)
	s := sind(theta)
	if s == 0 {
		return 0, 0, false
	}
	r := r2d * cosd(theta) / s
	return r*sinphi - p.x0, -r*cosphi - p.y0, s >= 0
}

// ---- STG: stereographic.

type stgPrj struct{ prjBase }

func (p *stgPrj) x2s(x, y float64) (float64, float64, bool) {
	xj, yj := x+p.x0, y+p.y0
	r := math.Sqrt(xj*xj + yj*yj)
	phi := 0.0
	if r != 0 {
		phi = atan2d(xj, -yj)
	}
	return phi, 90 - 2*atand(r*(math.Pi/360)), true
}

func (p *stgPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi)
	s := 1 + sind(theta)
	if s == 0 {
		return 0, 0, false
	}
	r := (360 / math.Pi) * cosd(theta) / s
	return r*sinphi - p.x0, -r*cosphi - p.y0, true
}

// ---- SIN: orthographic/synthesis (PV2_1 = xi, PV2_2 = eta).

type sinPrj struct {
	prjBase
	w [4]float64
}

func newSIN(pv [pvN]float64) *sinPrj {
	p := &sinPrj{}
	pv = withDefaults(pv, 0, 0, math.NaN())
	p.pv = pv
	p.w[0] = 1 / r2d
	p.w[1] = pv[1]*pv[1] + pv[2]*pv[2]
	p.w[2] = p.w[1] + 1
	p.w[3] = p.w[1] - 1
	return p
}

func (p *sinPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-13
	xi, eta := p.pv[1], p.pv[2]
	x0 := (x + p.x0) * p.w[0]
	y0 := (y + p.y0) * p.w[0]
	r2 := x0*x0 + y0*y0
	var phi, theta float64
	if p.w[1] == 0 {
		if r2 != 0 {
			phi = atan2d(x0, -y0)
		}
		switch {
		case r2 < 0.5:
			theta = acosd(math.Sqrt(r2))
		case r2 <= 1:
			theta = asind(math.Sqrt(1 - r2))
		default:
			return 0, 0, false
		}
	} else {
		xy := x0*xi + y0*eta
		var z float64
		if r2 < 1e-10 {
			z = r2 / 2
			theta = 90 - r2d*math.Sqrt(r2/(1+xy))
		} else {
			a := p.w[2]
			b := xy - p.w[1]
			c := r2 - xy - xy + p.w[3]
			d := b*b - a*c
			if d < 0 {
				return 0, 0, false
			}
			d = math.Sqrt(d)
			s1 := (-b + d) / a
			s2 := (-b - d) / a
			sinthe := math.Max(s1, s2)
			if sinthe > 1 {
				if sinthe-1 < tol {
					sinthe = 1
				} else {
					sinthe = math.Min(s1, s2)
				}
			}
			if sinthe < -1 && sinthe+1 > -tol {
				sinthe = -1
			}
			if sinthe > 1 || sinthe < -1 {
				return 0, 0, false
			}
			theta = asind(sinthe)
			z = 1 - sinthe
		}
		x1 := -y0 + eta*z
		y1 := x0 - xi*z
		if x1 != 0 || y1 != 0 {
			phi = atan2d(y1, x1)
		}
	}
	return bchk(1e-13, phi, theta)
}

func (p *sinPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi)
	var z, costhe float64
	t := (90 - math.Abs(theta)) * d2r
	if t < 1e-5 {
		if theta > 0 {
			z = t * t / 2
		} else {
			z = 2 - t*t/2
		}
		costhe = t
	} else {
		z = 1 - sind(theta)
		costhe = cosd(theta)
	}
	r := r2d * costhe
	if p.w[1] == 0 {
		return r*sinphi - p.x0, -r*cosphi - p.y0, theta >= 0
	}
	z *= r2d
	z1 := p.pv[1]*z - p.x0
	z2 := p.pv[2]*z - p.y0
	ok := theta >= -atand(p.pv[1]*sinphi-p.pv[2]*cosphi)
	return r*sinphi + z1, -r*cosphi + z2, ok
}

// ---- ARC: zenithal equidistant.

type arcPrj struct{ prjBase }

func (p *arcPrj) x2s(x, y float64) (float64, float64, bool) {
	xj, yj := x+p.x0, y+p.y0
	r := math.Sqrt(xj*xj + yj*yj)
	if r == 0 {
		return 0, 90, true
	}
	return bchk(1e-13, atan2d(xj, -yj), 90-r)
}

func (p *arcPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi)
	r := 90 - theta
	return r*sinphi - p.x0, -r*cosphi - p.y0, true
}

// ---- ZPN: zenithal polynomial (PV2_0..PV2_29).

type zpnPrj struct {
	prjBase
	n      int     // degree of the polynomial
	zdInfl float64 // co-latitude (rad) of the first point of inflection
	rInfl  float64 // radius there
}

func newZPN(pv [pvN]float64) (*zpnPrj, error) {
	const tol = 1e-13
	p := &zpnPrj{}
	for i := range pv {
		if undefined(pv[i]) {
			pv[i] = 0
		}
	}
	p.pv = pv
	k := pvN - 1
	for k >= 0 && pv[k] == 0 {
		k--
	}
	if k < 1 {
		// k < 0: all zero; k == 0: constant radius, no inverse.
		return nil, errBadParam
	}
	p.n = k
	if k < 2 {
		p.zdInfl = math.Pi
		return p, nil
	}
	zd1, d1 := 0.0, pv[1]
	if d1 <= 0 {
		return nil, errBadParam
	}
	var zd, zd2, d2 float64
	j := 0
	for ; j < 180; j++ {
		zd2 = float64(j) * d2r
		d2 = 0
		for m := k; m > 0; m-- {
			d2 = d2*zd2 + float64(m)*pv[m]
		}
		if d2 <= 0 {
			break
		}
		zd1, d1 = zd2, d2
	}
	if j == 180 {
		zd = math.Pi
	} else {
		for j := 1; j <= 10; j++ {
			zd = zd1 - d1*(zd2-zd1)/(d2-d1)
			d := 0.0
			for m := k; m > 0; m-- {
				d = d*zd + float64(m)*pv[m]
			}
			if math.Abs(d) < tol {
				break
			}
			if d < 0 {
				zd2, d2 = zd, d
			} else {
				zd1, d1 = zd, d
			}
		}
	}
	r := 0.0
	for m := k; m >= 0; m-- {
		r = r*zd + pv[m]
	}
	p.zdInfl, p.rInfl = zd, r
	return p, nil
}

func (p *zpnPrj) poly(zd float64) float64 {
	r := 0.0
	for m := p.n; m >= 0; m-- {
		r = r*zd + p.pv[m]
	}
	return r
}

func (p *zpnPrj) dpoly(zd float64) float64 {
	d := 0.0
	for m := p.n; m > 0; m-- {
		d = d*zd + float64(m)*p.pv[m]
	}
	return d
}

func (p *zpnPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-13
	xj, yj := x+p.x0, y+p.y0
	r := math.Sqrt(xj*xj+yj*yj) / r2d
	phi := 0.0
	if r != 0 {
		phi = atan2d(xj, -yj)
	}
	var zd float64
	switch k := p.n; {
	case k == 1:
		zd = (r - p.pv[0]) / p.pv[1]
	case k == 2:
		a, b, c := p.pv[2], p.pv[1], p.pv[0]-r
		d := b*b - 4*a*c
		if d < 0 {
			return 0, 0, false
		}
		d = math.Sqrt(d)
		zd1 := (-b + d) / (2 * a)
		zd2 := (-b - d) / (2 * a)
		zd = math.Min(zd1, zd2)
		if zd < -tol {
			zd = math.Max(zd1, zd2)
		}
		if zd < 0 {
			if zd < -tol {
				return 0, 0, false
			}
			zd = 0
		} else if zd > math.Pi {
			if zd > math.Pi+tol {
				return 0, 0, false
			}
			zd = math.Pi
		}
	default:
		zd1, r1 := 0.0, p.pv[0]
		zd2, r2 := p.zdInfl, p.rInfl
		switch {
		case r < r1:
			if r < r1-tol {
				return 0, 0, false
			}
			zd = zd1
		case r > r2:
			if r > r2+tol {
				return 0, 0, false
			}
			zd = zd2
		default:
			// The root is unique in [zd1, zd2] (the polynomial increases up
			// to its first inflection): safeguarded Newton iteration, which
			// reaches the root WCSLIB's interval dissection approximates (to
			// its 1e-13 tolerance) in a few steps.
			zd = zd1 + (r-r1)/(r2-r1)*(zd2-zd1)
			for j := 0; j < 60; j++ {
				f := p.poly(zd) - r
				if f == 0 {
					break
				}
				if f < 0 {
					zd1 = zd
				} else {
					zd2 = zd
				}
				d := p.dpoly(zd)
				next := zd - f/d
				if !(d > 0) || !(next > zd1 && next < zd2) {
					next = (zd1 + zd2) / 2
				}
				if math.Abs(next-zd) <= 4e-16*math.Max(1, zd) || zd2-zd1 <= 1e-15 {
					zd = next
					break
				}
				zd = next
			}
		}
	}
	return bchk(1e-13, phi, 90-zd*r2d)
}

func (p *zpnPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi)
	s := (90 - theta) * d2r
	r := p.poly(s) * r2d
	return r*sinphi - p.x0, -r*cosphi - p.y0, !(s > p.zdInfl)
}

// ---- ZEA: zenithal equal area.

type zeaPrj struct{ prjBase }

func (p *zeaPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-12
	const w0 = 360 / math.Pi
	xj, yj := x+p.x0, y+p.y0
	r := math.Sqrt(xj*xj + yj*yj)
	phi := 0.0
	if r != 0 {
		phi = atan2d(xj, -yj)
	}
	s := r * (math.Pi / 360)
	var theta float64
	if math.Abs(s) > 1 {
		if math.Abs(r-w0) < tol {
			theta = -90
		} else {
			return 0, 0, false
		}
	} else {
		theta = 90 - 2*asind(s)
	}
	return bchk(1e-13, phi, theta)
}

func (p *zeaPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi)
	r := (360 / math.Pi) * sind((90-theta)/2)
	return r*sinphi - p.x0, -r*cosphi - p.y0, true
}

// ---- AIR: Airy (PV2_1 = theta_b).

type airPrj struct {
	prjBase
	w [7]float64
}

func newAIR(pv [pvN]float64) (*airPrj, error) {
	const tol = 1e-4
	p := &airPrj{}
	pv = withDefaults(pv, 90, math.NaN(), math.NaN())
	p.pv = pv
	p.w[0] = 2 * r2d
	switch {
	case pv[1] == 90:
		p.w[1] = -0.5
		p.w[2] = 1
	case pv[1] > -90:
		cxi := cosd((90 - pv[1]) / 2)
		p.w[1] = math.Log(cxi) * (cxi * cxi) / (1 - cxi*cxi)
		p.w[2] = 0.5 - p.w[1]
	default:
		return nil, errBadParam
	}
	p.w[3] = p.w[0] * p.w[2]
	p.w[4] = tol
	p.w[5] = p.w[2] * tol
	p.w[6] = r2d / p.w[2]
	return p, nil
}

func (p *airPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-12
	xj, yj := x+p.x0, y+p.y0
	r := math.Sqrt(xj*xj+yj*yj) / p.w[0]
	phi := 0.0
	if r != 0 {
		phi = atan2d(xj, -yj)
	}
	var xi float64
	switch {
	case r == 0:
		xi = 0
	case r < p.w[5]:
		xi = r * p.w[6]
	default:
		x1, x2 := 1.0, 1.0
		r1, r2 := 0.0, 0.0
		k := 0
		for ; k < 30; k++ {
			x2 = x1 / 2
			tanxi := math.Sqrt(1-x2*x2) / x2
			r2 = -(math.Log(x2)/tanxi + p.w[1]*tanxi)
			if r2 >= r {
				break
			}
			x1, r1 = x2, r2
		}
		if k == 30 {
			return 0, 0, false
		}
		var cosxi float64
		for k = 0; k < 100; k++ {
			lambda := (r2 - r) / (r2 - r1)
			if lambda < 0.1 {
				lambda = 0.1
			} else if lambda > 0.9 {
				lambda = 0.9
			}
			cosxi = x2 - lambda*(x2-x1)
			tanxi := math.Sqrt(1-cosxi*cosxi) / cosxi
			rt := -(math.Log(cosxi)/tanxi + p.w[1]*tanxi)
			if rt < r {
				if r-rt < tol {
					break
				}
				r1, x1 = rt, cosxi
			} else {
				if rt-r < tol {
					break
				}
				r2, x2 = rt, cosxi
			}
		}
		if k == 100 {
			return 0, 0, false
		}
		xi = acosd(cosxi)
	}
	return bchk(1e-13, phi, 90-2*xi)
}

func (p *airPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi)
	var r float64
	switch {
	case theta == 90:
		r = 0
	case theta > -90:
		xi := d2r * (90 - theta) / 2
		if xi < p.w[4] {
			r = xi * p.w[3]
		} else {
			cosxi := cosd((90 - theta) / 2)
			tanxi := math.Sqrt(1-cosxi*cosxi) / cosxi
			r = -p.w[0] * (math.Log(cosxi)/tanxi + p.w[1]*tanxi)
		}
	default:
		return -p.x0, -p.y0, false
	}
	return r*sinphi - p.x0, -r*cosphi - p.y0, true
}
