package wcs

import "math"

// cubeFace picks the quad-cube face of direction cosines (l, m, n) as WCSLIB does.
func cubeFace(l, m, n float64) (face int, zeta float64) {
	face, zeta = 0, n
	if l > zeta {
		face, zeta = 1, l
	}
	if m > zeta {
		face, zeta = 2, m
	}
	if -l > zeta {
		face, zeta = 3, -l
	}
	if -m > zeta {
		face, zeta = 4, -m
	}
	if -n > zeta {
		face, zeta = 5, -n
	}
	return face, zeta
}

// faceCoords returns (xi, eta) on a face and the face's offset in the layout.
func faceCoords(face int, l, m, n float64) (xi, eta, x0, y0 float64) {
	switch face {
	case 1:
		return m, n, 0, 0
	case 2:
		return -l, n, 2, 0
	case 3:
		return -m, n, 4, 0
	case 4:
		return l, n, 6, 0
	case 5:
		return m, l, 0, -2
	default:
		return m, -l, 0, 2
	}
}

// quadFaceOf maps layout coordinates (in units of 45 deg) to a face and the
// face-local coordinates; ok is false outside the layout.
func quadFaceOf(xf, yf float64) (face int, fx, fy float64, ok bool) {
	if math.Abs(xf) <= 1 {
		if math.Abs(yf) > 3 {
			return 0, 0, 0, false
		}
	} else if math.Abs(xf) > 7 || math.Abs(yf) > 1 {
		return 0, 0, 0, false
	}
	if xf < -1 {
		xf += 8
	}
	switch {
	case xf > 5:
		return 4, xf - 6, yf, true
	case xf > 3:
		return 3, xf - 4, yf, true
	case xf > 1:
		return 2, xf - 2, yf, true
	case yf > 1:
		return 0, xf, yf - 2, true
	case yf < -1:
		return 5, xf, yf + 2, true
	}
	return 1, xf, yf, true
}

// faceToLMN converts face-local tangent coordinates (a, b) (a = xi/zeta,
// b = eta/zeta) to direction cosines with norm t = 1/sqrt(1+a²+b²).
func faceToLMN(face int, a, b, t float64) (l, m, n float64) {
	switch face {
	case 1:
		l = t
		m = a * l
		n = b * l
	case 2:
		m = t
		l = -a * m
		n = b * m
	case 3:
		l = -t
		m = a * l
		n = -b * l
	case 4:
		m = -t
		l = -a * m
		n = -b * m
	case 5:
		n = -t
		l = -b * n
		m = -a * n
	default:
		n = t
		l = -b * n
		m = a * n
	}
	return l, m, n
}

func lmnToNative(l, m, n float64) (phi, theta float64) {
	if l != 0 || m != 0 {
		phi = atan2d(m, l)
	}
	return phi, asind(n)
}

// ---- TSC: tangential spherical cube.

type tscPrj struct{ prjBase }

func (p *tscPrj) x2s(x, y float64) (float64, float64, bool) {
	face, xf, yf, ok := quadFaceOf((x+p.x0)/45, (y+p.y0)/45)
	if !ok {
		return 0, 0, false
	}
	l, m, n := faceToLMN(face, xf, yf, 1/math.Sqrt(1+xf*xf+yf*yf))
	phi, theta := lmnToNative(l, m, n)
	return bchk(1e-13, phi, theta)
}

func (p *tscPrj) s2x(phi, theta float64) (float64, float64, bool) {
	const tol = 1e-12
	sinphi, cosphi := sincosd(phi)
	sinthe, costhe := sincosd(theta)
	l, m, n := costhe*cosphi, costhe*sinphi, sinthe
	face, zeta := cubeFace(l, m, n)
	xi, eta, x0, y0 := faceCoords(face, l, m, n)
	xf, yf := xi/zeta, eta/zeta
	ok := true
	if math.Abs(xf) > 1 {
		if math.Abs(xf) > 1+tol {
			ok = false
		}
		xf = copysign(1, xf)
	}
	if math.Abs(yf) > 1 {
		if math.Abs(yf) > 1+tol {
			ok = false
		}
		yf = copysign(1, yf)
	}
	return 45*(xf+x0) - p.x0, 45*(yf+y0) - p.y0, ok
}

// ---- CSC: COBE quadrilateralized spherical cube. WCSLIB evaluates its
// polynomial approximations in single precision; so does this port, operation
// by operation, so that results agree bit for bit in practice.

type cscPrj struct{ prjBase }

func (p *cscPrj) x2s(x, y float64) (float64, float64, bool) {
	const (
		p00 float32 = -0.27292696
		p10 float32 = -0.07629969
		p20 float32 = -0.22797056
		p30 float32 = 0.54852384
		p40 float32 = -0.62930065
		p50 float32 = 0.25795794
		p60 float32 = 0.02584375
		p01 float32 = -0.02819452
		p11 float32 = -0.01471565
		p21 float32 = 0.48051509
		p31 float32 = -1.74114454
		p41 float32 = 1.71547508
		p51 float32 = -0.53022337
		p02 float32 = 0.27058160
		p12 float32 = -0.56800938
		p22 float32 = 0.30803317
		p32 float32 = 0.98938102
		p42 float32 = -0.83180469
		p03 float32 = -0.60441560
		p13 float32 = 1.50880086
		p23 float32 = -0.93678576
		p33 float32 = 0.08693841
		p04 float32 = 0.93412077
		p14 float32 = -1.41601920
		p24 float32 = 0.33887446
		p05 float32 = -0.63915306
		p15 float32 = 0.52032238
		p06 float32 = 0.14381585
	)
	xf := float32((x + p.x0) * (1.0 / 45.0))
	yf := float32((y + p.y0) * (1.0 / 45.0))
	if math.Abs(float64(xf)) <= 1 {
		if math.Abs(float64(yf)) > 3 {
			return 0, 0, false
		}
	} else if math.Abs(float64(xf)) > 7 || math.Abs(float64(yf)) > 1 {
		return 0, 0, false
	}
	if xf < -1 {
		xf += 8
	}
	var face int
	switch {
	case xf > 5:
		face, xf = 4, xf-6
	case xf > 3:
		face, xf = 3, xf-4
	case xf > 1:
		face, xf = 2, xf-2
	case yf > 1:
		face, yf = 0, yf-2
	case yf < -1:
		face, yf = 5, yf+2
	default:
		face = 1
	}
	xx := float32(xf * xf)
	yy := float32(yf * yf)
	poly := func(xx, yy float32) float32 {
		z0 := p00 + float32(xx*float32(p10+float32(xx*float32(p20+float32(xx*float32(p30+float32(xx*float32(p40+float32(xx*float32(p50+float32(xx*p60)))))))))))
		z1 := p01 + float32(xx*float32(p11+float32(xx*float32(p21+float32(xx*float32(p31+float32(xx*float32(p41+float32(xx*p51)))))))))
		z2 := p02 + float32(xx*float32(p12+float32(xx*float32(p22+float32(xx*float32(p32+float32(xx*p42)))))))
		z3 := p03 + float32(xx*float32(p13+float32(xx*float32(p23+float32(xx*p33)))))
		z4 := p04 + float32(xx*float32(p14+float32(xx*p24)))
		z5 := p05 + float32(xx*p15)
		z6 := p06
		return z0 + float32(yy*float32(z1+float32(yy*float32(z2+float32(yy*float32(z3+float32(yy*float32(z4+float32(yy*float32(z5+float32(yy*z6)))))))))))
	}
	chi := poly(xx, yy)
	chi = xf + float32(float32(xf*float32(1-xx))*chi)
	psi := poly(yy, xx)
	psi = yf + float32(float32(yf*float32(1-yy))*psi)
	t := 1 / math.Sqrt(float64(float32(float32(chi*chi)+float32(psi*psi)))+1)
	l, m, n := faceToLMN(face, float64(chi), float64(psi), t)
	phi, theta := lmnToNative(l, m, n)
	return bchk(1e-13, phi, theta)
}

func (p *cscPrj) s2x(phi, theta float64) (float64, float64, bool) {
	const (
		tol           = 1e-7
		gstar float32 = 1.37484847732
		mm    float32 = 0.004869491981
		gamma float32 = -0.13161671474
		om1   float32 = -0.159596235474
		d0    float32 = 0.0759196200467
		d1    float32 = -0.0217762490699
		c00   float32 = 0.141189631152
		c10   float32 = 0.0809701286525
		c01   float32 = -0.281528535557
		c11   float32 = 0.15384112876
		c20   float32 = -0.178251207466
		c02   float32 = 0.106959469314
	)
	sinphi, cosphi := sincosd(phi)
	sinthe, costhe := sincosd(theta)
	l, m, n := costhe*cosphi, costhe*sinphi, sinthe
	face, zeta := cubeFace(l, m, n)
	xi, eta, x0, y0 := faceCoords(face, l, m, n)
	chi := float32(xi / zeta)
	psi := float32(eta / zeta)
	chi2 := float32(chi * chi)
	psi2 := float32(psi * psi)
	chi2co := float32(1 - chi2)
	psi2co := float32(1 - psi2)
	chipsi := float32(math.Abs(float64(float32(chi * psi))))
	var chi4, psi4, chi2psi2 float32
	if chi2 > 1e-16 {
		chi4 = float32(chi2 * chi2)
	}
	if psi2 > 1e-16 {
		psi4 = float32(psi2 * psi2)
	}
	if chipsi > 1e-16 {
		chi2psi2 = float32(chi2 * psi2)
	}
	fwd := func(chi, chi2, chi2co, psi2, psi2co, chi4, psi4 float32) float32 {
		inner := float32(float32(float32(float32(float32(c00+float32(c10*chi2))+float32(c01*psi2))+float32(c11*chi2psi2))+float32(c20*chi4)) + float32(c02*psi4))
		a := float32(float32(float32(gamma*chi2co)+float32(mm*chi2)) + float32(psi2co*inner))
		b := float32(float32(gstar+float32(psi2*a)) + float32(chi2*float32(om1-float32(chi2co*float32(d0+float32(d1*chi2))))))
		return float32(chi * float32(chi2+float32(chi2co*b)))
	}
	xf := fwd(chi, chi2, chi2co, psi2, psi2co, chi4, psi4)
	yf := fwd(psi, psi2, psi2co, chi2, chi2co, psi4, chi4)
	ok := true
	if math.Abs(float64(xf)) > 1 {
		if math.Abs(float64(xf)) > 1+tol {
			ok = false
		}
		xf = float32(copysign(1, float64(xf)))
	}
	if math.Abs(float64(yf)) > 1 {
		if math.Abs(float64(yf)) > 1+tol {
			ok = false
		}
		yf = float32(copysign(1, float64(yf)))
	}
	// C: prj->w[0]*(xf + x0) with x0 float: the sum is done in float.
	return 45*float64(float32(xf+float32(x0))) - p.x0, 45*float64(float32(yf+float32(y0))) - p.y0, ok
}

// ---- QSC: quadrilateralized spherical cube.

type qscPrj struct{ prjBase }

func (p *qscPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-12
	face, xf, yf, ok := quadFaceOf((x+p.x0)/45, (y+p.y0)/45)
	if !ok {
		return 0, 0, false
	}
	direct := math.Abs(xf) > math.Abs(yf)
	var omega, tau, zeta, zeco float64
	if direct {
		if xf == 0 {
			omega, tau, zeta, zeco = 0, 1, 1, 0
		} else {
			w := 15 * yf / xf
			omega = sind(w) / (cosd(w) - 1/math.Sqrt2)
			tau = 1 + omega*omega
			zeco = xf * xf * (1 - 1/math.Sqrt(1+tau))
			zeta = 1 - zeco
		}
	} else {
		if yf == 0 {
			omega, tau, zeta, zeco = 0, 1, 1, 0
		} else {
			w := 15 * xf / yf
			sinw, cosw := sincosd(w)
			omega = sinw / (cosw - 1/math.Sqrt2)
			tau = 1 + omega*omega
			zeco = yf * yf * (1 - 1/math.Sqrt(1+tau))
			zeta = 1 - zeco
		}
	}
	var w float64
	if zeta < -1 {
		if zeta < -1-tol {
			return 0, 0, false
		}
		zeta, zeco, w = -1, 2, 0
	} else {
		w = math.Sqrt(zeco * (2 - zeco) / tau)
	}
	var l, m, n float64
	neg := func(v float64, cond bool) float64 {
		if cond {
			return -v
		}
		return v
	}
	switch face {
	case 1:
		l = zeta
		if direct {
			m = neg(w, xf < 0)
			n = m * omega
		} else {
			n = neg(w, yf < 0)
			m = n * omega
		}
	case 2:
		m = zeta
		if direct {
			l = neg(w, xf > 0)
			n = -l * omega
		} else {
			n = neg(w, yf < 0)
			l = -n * omega
		}
	case 3:
		l = -zeta
		if direct {
			m = neg(w, xf > 0)
			n = -m * omega
		} else {
			n = neg(w, yf < 0)
			m = -n * omega
		}
	case 4:
		m = -zeta
		if direct {
			l = neg(w, xf < 0)
			n = l * omega
		} else {
			n = neg(w, yf < 0)
			l = n * omega
		}
	case 5:
		n = -zeta
		if direct {
			m = neg(w, xf < 0)
			l = m * omega
		} else {
			l = neg(w, yf < 0)
			m = l * omega
		}
	default:
		n = zeta
		if direct {
			m = neg(w, xf < 0)
			l = -m * omega
		} else {
			l = neg(w, yf > 0)
			m = -l * omega
		}
	}
	phi, theta := lmnToNative(l, m, n)
	return bchk(1e-13, phi, theta)
}

func (p *qscPrj) s2x(phi, theta float64) (float64, float64, bool) {
	const tol = 1e-12
	if math.Abs(theta) == 90 {
		return -p.x0, copysign(90, theta) - p.y0, true
	}
	sinphi, cosphi := sincosd(phi)
	sinthe, costhe := sincosd(theta)
	l, m, n := costhe*cosphi, costhe*sinphi, sinthe
	face, zeta := cubeFace(l, m, n)
	zeco := 1 - zeta
	xi, eta, x0, y0 := faceCoords(face, l, m, n)
	if zeco < 1e-8 {
		// Small-angle formula near the face centre.
		var t, pp float64
		switch face {
		case 1:
			t = theta * d2r
			pp = math.Atan2(sinphi, cosphi)
			zeco = (pp*pp + t*t) / 2
		case 2:
			t = theta * d2r
			pp = math.Atan2(sinphi, cosphi) - math.Pi/2
			zeco = (pp*pp + t*t) / 2
		case 3:
			t = theta * d2r
			pp = math.Atan2(sinphi, cosphi)
			pp -= copysign(math.Pi, pp)
			zeco = (pp*pp + t*t) / 2
		case 4:
			t = theta * d2r
			pp = math.Atan2(sinphi, cosphi) + math.Pi/2
			zeco = (pp*pp + t*t) / 2
		case 5:
			t = (theta + 90) * d2r
			zeco = t * t / 2
		default:
			t = (90 - theta) * d2r
			zeco = t * t / 2
		}
	}
	var xf, yf float64
	if xi != 0 || eta != 0 {
		switch {
		case -xi > math.Abs(eta):
			omega := eta / xi
			tau := 1 + omega*omega
			xf = -math.Sqrt(zeco / (1 - 1/math.Sqrt(1+tau)))
			yf = (xf / 15) * (atand(omega) - asind(omega/math.Sqrt(tau+tau)))
		case xi > math.Abs(eta):
			omega := eta / xi
			tau := 1 + omega*omega
			xf = math.Sqrt(zeco / (1 - 1/math.Sqrt(1+tau)))
			yf = (xf / 15) * (atand(omega) - asind(omega/math.Sqrt(tau+tau)))
		case -eta >= math.Abs(xi):
			omega := xi / eta
			tau := 1 + omega*omega
			yf = -math.Sqrt(zeco / (1 - 1/math.Sqrt(1+tau)))
			xf = (yf / 15) * (atand(omega) - asind(omega/math.Sqrt(tau+tau)))
		case eta >= math.Abs(xi):
			omega := xi / eta
			tau := 1 + omega*omega
			yf = math.Sqrt(zeco / (1 - 1/math.Sqrt(1+tau)))
			xf = (yf / 15) * (atand(omega) - asind(omega/math.Sqrt(tau+tau)))
		}
	}
	ok := true
	if math.Abs(xf) > 1 {
		if math.Abs(xf) > 1+tol {
			ok = false
		}
		xf = copysign(1, xf)
	}
	if math.Abs(yf) > 1 {
		if math.Abs(yf) > 1+tol {
			ok = false
		}
		yf = copysign(1, yf)
	}
	return 45*(xf+x0) - p.x0, 45*(yf+y0) - p.y0, ok
}
