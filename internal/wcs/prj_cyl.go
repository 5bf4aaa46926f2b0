package wcs

import "math"

// ---- CYP: cylindrical perspective (PV2_1 = mu, PV2_2 = lambda).

type cypPrj struct {
	prjBase
	w [4]float64
}

func newCYP(pv [pvN]float64) (*cypPrj, error) {
	p := &cypPrj{}
	pv = withDefaults(pv, 1, 1, math.NaN())
	p.pv = pv
	p.w[0] = pv[2]
	if p.w[0] == 0 {
		return nil, errBadParam
	}
	p.w[1] = 1 / p.w[0]
	p.w[2] = r2d * (pv[1] + pv[2])
	if p.w[2] == 0 {
		return nil, errBadParam
	}
	p.w[3] = 1 / p.w[2]
	return p, nil
}

func (p *cypPrj) x2s(x, y float64) (float64, float64, bool) {
	phi := p.w[1] * (x + p.x0)
	eta := p.w[3] * (y + p.y0)
	theta := atan2d(eta, 1) + asind(eta*p.pv[1]/math.Sqrt(eta*eta+1))
	if math.IsNaN(theta) {
		return 0, 0, false
	}
	return bchk(1e-13, phi, theta)
}

func (p *cypPrj) s2x(phi, theta float64) (float64, float64, bool) {
	x := p.w[0]*phi - p.x0
	eta := p.pv[1] + cosd(theta)
	if eta == 0 {
		return x, -p.y0, false
	}
	return x, p.w[2]*sind(theta)/eta - p.y0, true
}

// ---- CEA: cylindrical equal area (PV2_1 = lambda).

type ceaPrj struct {
	prjBase
	w [4]float64
}

func newCEA(pv [pvN]float64) (*ceaPrj, error) {
	p := &ceaPrj{}
	pv = withDefaults(pv, 1, math.NaN(), math.NaN())
	p.pv = pv
	if pv[1] <= 0 || pv[1] > 1 {
		return nil, errBadParam
	}
	p.w[2] = r2d / pv[1]
	p.w[3] = pv[1] / r2d
	return p, nil
}

func (p *ceaPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-13
	phi := x + p.x0
	s := p.w[3] * (y + p.y0)
	var theta float64
	if math.Abs(s) > 1 {
		if math.Abs(s) > 1+tol {
			return 0, 0, false
		}
		theta = copysign(90, s)
	} else {
		theta = asind(s)
	}
	return bchk(1e-13, phi, theta)
}

func (p *ceaPrj) s2x(phi, theta float64) (float64, float64, bool) {
	return phi - p.x0, p.w[2]*sind(theta) - p.y0, true
}

// ---- CAR: plate carrée.

type carPrj struct{ prjBase }

func (p *carPrj) x2s(x, y float64) (float64, float64, bool) {
	return bchk(1e-13, x+p.x0, y+p.y0)
}

func (p *carPrj) s2x(phi, theta float64) (float64, float64, bool) {
	return phi - p.x0, theta - p.y0, true
}

// ---- MER: Mercator.

type merPrj struct{ prjBase }

func (p *merPrj) x2s(x, y float64) (float64, float64, bool) {
	return bchk(1e-13, x+p.x0, 2*atand(math.Exp((y+p.y0)/r2d))-90)
}

func (p *merPrj) s2x(phi, theta float64) (float64, float64, bool) {
	x := phi - p.x0
	if theta <= -90 || theta >= 90 {
		return x, -p.y0, false
	}
	return x, r2d*math.Log(tand((theta+90)/2)) - p.y0, true
}

// ---- SFL: Sanson-Flamsteed.

type sflPrj struct{ prjBase }

func (p *sflPrj) x2s(x, y float64) (float64, float64, bool) {
	yj := y + p.y0
	s := math.Cos(yj / r2d)
	if s == 0 {
		return 0, 0, false
	}
	return bchk(1e-12, (x+p.x0)/s, yj)
}

func (p *sflPrj) s2x(phi, theta float64) (float64, float64, bool) {
	return cosd(theta)*phi - p.x0, theta - p.y0, true
}

// ---- PAR: parabolic.

type parPrj struct{ prjBase }

func (p *parPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-13
	xj := x + p.x0
	r := (y + p.y0) / 180
	if r > 1 || r < -1 {
		return 0, 0, false
	}
	s := 1 - 4*r*r
	var phi float64
	if s == 0 {
		// Deferred test: only x == 0 (within tol) is valid at the poles.
		if math.Abs(xj)-tol >= 0 {
			return 0, 0, false
		}
		phi = xj * 0
	} else {
		phi = xj / s
	}
	return bchk(1e-12, phi, 3*asind(r))
}

func (p *parPrj) s2x(phi, theta float64) (float64, float64, bool) {
	s := sind(theta / 3)
	return (1-4*s*s)*phi - p.x0, 180*s - p.y0, true
}

// ---- MOL: Mollweide.

type molPrj struct{ prjBase }

func (p *molPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-12
	w0 := math.Sqrt2 * r2d
	xj := x + p.x0
	yj := y + p.y0
	y0 := yj / r2d
	r := 2 - y0*y0
	var s float64
	deferred := false
	if r <= tol {
		if r < -tol {
			return 0, 0, false
		}
		deferred = true
		r, s = 0, 0
	} else {
		r = math.Sqrt(r)
		s = 1 / r
	}
	z := yj / w0
	if math.Abs(z) > 1 {
		if math.Abs(z) > 1+tol {
			return 0, 0, false
		}
		z = copysign(1, z) + y0*r/math.Pi
	} else {
		z = math.Asin(z)*(2/math.Pi) + y0*r/math.Pi
	}
	if math.Abs(z) > 1 {
		if math.Abs(z) > 1+tol {
			return 0, 0, false
		}
		z = copysign(1, z)
	}
	if deferred && math.Abs(xj)-tol >= 0 {
		return 0, 0, false
	}
	return bchk(1e-11, (90/r2d)*xj*s, asind(z))
}

func (p *molPrj) s2x(phi, theta float64) (float64, float64, bool) {
	const tol = 1e-13
	w0 := math.Sqrt2 * r2d
	var xi, eta float64
	switch {
	case math.Abs(theta) == 90:
		xi, eta = 0, copysign(w0, theta)
	case theta == 0:
		xi, eta = 1, 0
	default:
		u := math.Pi * sind(theta)
		v0, v1 := -math.Pi, math.Pi
		v := u
		for k := 0; k < 100; k++ {
			resid := (v - u) + math.Sin(v)
			if resid < 0 {
				if resid > -tol {
					break
				}
				v0 = v
			} else {
				if resid < tol {
					break
				}
				v1 = v
			}
			v = (v0 + v1) / 2
		}
		gamma := v / 2
		xi = math.Cos(gamma)
		eta = w0 * math.Sin(gamma)
	}
	return xi*(w0/90)*phi - p.x0, eta - p.y0, true
}

// ---- AIT: Hammer-Aitoff.

type aitPrj struct{ prjBase }

func (p *aitPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-13
	w0 := 2 * r2d * r2d
	w1 := 1 / (2 * w0)
	w2 := w1 / 4
	w3 := 1 / (2 * r2d)
	xj := x + p.x0
	yj := y + p.y0
	s := 1 - xj*xj*w2 - yj*yj*w1
	ok := true
	if s < 0.5 {
		if s < 0.5-tol {
			ok = false
		}
		s = 0.5
	}
	z := math.Sqrt(s)
	x0 := 2*z*z - 1
	y0 := z * (xj * w3)
	phi := 0.0
	if x0 != 0 || y0 != 0 {
		phi = 2 * atan2d(y0, x0)
	}
	t := z * yj / r2d
	if math.Abs(t) > 1 {
		if math.Abs(t) > 1+tol {
			ok = false
		}
		t = copysign(90, t)
	} else {
		t = asind(t)
	}
	if !ok {
		return phi, t, false
	}
	return bchk(1e-13, phi, t)
}

func (p *aitPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sinphi, cosphi := sincosd(phi / 2)
	sinthe, costhe := sincosd(theta)
	w := math.Sqrt(2 * r2d * r2d / (1 + costhe*cosphi))
	return 2*w*costhe*sinphi - p.x0, w*sinthe - p.y0, true
}
