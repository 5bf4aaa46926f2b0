package wcs

import "math"

// ---- HPX: HEALPix (PV2_1 = H, PV2_2 = K).

type hpxPrj struct {
	prjBase
	m, n bool // H odd, K odd
	w    [10]float64
}

func newHPX(pv [pvN]float64) (*hpxPrj, error) {
	p := &hpxPrj{}
	pv = withDefaults(pv, 4, 3, math.NaN())
	p.pv = pv
	if !(pv[1] > 0 && pv[2] > 0 && pv[1] <= 1e6 && pv[2] <= 1e6) {
		return nil, errBadParam
	}
	p.m = int(pv[1]+0.5)%2 == 1
	p.n = int(pv[2]+0.5)%2 == 1
	p.w[0], p.w[1] = 1, 1
	p.w[2] = (pv[2] - 1) / pv[2]
	p.w[3] = 90 * pv[2] / pv[1]
	p.w[4] = (pv[2] + 1) / 2
	p.w[5] = 90 * (pv[2] - 1) / pv[1]
	p.w[6] = 180 / pv[1]
	p.w[7] = pv[1] / 360
	p.w[8] = p.w[3] * p.w[0]
	p.w[9] = p.w[6] * p.w[0]
	return p, nil
}

func (p *hpxPrj) x2s(x, y float64) (float64, float64, bool) {
	slim := p.w[6] + 1e-12
	ylim := p.w[9] * p.w[4]
	phi := x + p.x0
	xc := -180 + (2*math.Floor((x+180)*p.w[7])+1)*p.w[6]
	t := x - xc // x - x_c
	yr := y + p.y0
	absy := math.Abs(yr)
	switch {
	case absy <= p.w[5]:
		return bchk(1e-12, phi, asind(yr/p.w[3]))
	case absy <= ylim:
		offset := !(p.n || y > 0)
		sigma := p.w[4] - absy/p.w[6]
		var s, th float64
		ok := true
		if sigma == 0 {
			s, th = 1e9, 90
		} else {
			th = 1 - sigma*sigma/p.pv[2]
			if th < -1 {
				s, th, ok = 0, 0, false
			} else {
				s = 1 / sigma
				th = asind(th)
			}
		}
		if y < 0 {
			th = -th
		}
		if offset {
			h := int(math.Floor(phi/p.w[6])) + b2i(p.m)
			if h%2 != 0 {
				t -= p.w[6]
			} else {
				t += p.w[6]
			}
		}
		r := s * t
		if slim <= math.Abs(r) {
			ok = false
		}
		if r != 0 {
			r -= t
		}
		phi += r
		if !ok {
			return phi, th, false
		}
		return bchk(1e-12, phi, th)
	}
	return 0, 0, false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (p *hpxPrj) s2x(phi, theta float64) (float64, float64, bool) {
	xi := phi - p.x0
	phic := -180 + (2*math.Floor((phi+180)*p.w[7])+1)*p.w[6]
	t := phi - phic // phi - phi_c
	sinthe := sind(theta)
	abssin := math.Abs(sinthe)
	if abssin <= p.w[2] {
		return xi, p.w[8]*sinthe - p.y0, true
	}
	offset := !(p.n || theta > 0)
	sigma := math.Sqrt(p.pv[2] * (1 - abssin))
	xs := sigma - 1
	eta := p.w[9] * (p.w[4] - sigma)
	if theta < 0 {
		eta = -eta
	}
	eta -= p.y0
	if offset {
		h := int(math.Floor((xi+p.x0)/p.w[9])) + b2i(p.m)
		if h%2 != 0 {
			t -= p.w[9]
		} else {
			t += p.w[9]
		}
	}
	x := xi + t*xs
	if 180 < x {
		x = 360 - x
	}
	return x, eta, true
}

// ---- XPH: HEALPix polar ("butterfly").

type xphPrj struct{ prjBase }

func (p *xphPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-12
	w1 := 1 / math.Sqrt(2)
	w3 := 1e-4
	w4 := math.Sqrt(2.0/3.0) * r2d
	xr := (x + p.x0) * w1
	yr := (y + p.y0) * w1
	var xi1, eta1, phi float64
	switch {
	case xr <= 0 && 0 < yr:
		xi1, eta1, phi = -xr-yr, xr-yr, -180
	case xr < 0 && yr <= 0:
		xi1, eta1, phi = xr-yr, xr+yr, -90
	case 0 <= xr && yr < 0:
		xi1, eta1, phi = xr+yr, -xr+yr, 0
	default:
		xi1, eta1, phi = -xr+yr, -xr-yr, 90
	}
	xi := xi1 + 45
	eta := eta1 + 90
	abseta := math.Abs(eta)
	if abseta > 90 {
		return 0, 0, false
	}
	var theta float64
	ok := true
	if abseta <= 45 {
		phi += xi
		theta = asind(eta / 67.5)
		if 45+tol < math.Abs(xi1) {
			ok = false
		}
	} else {
		sigma := (90 - abseta) / 45
		switch {
		case xr == 0:
			if yr <= 0 {
				phi = 0
			} else {
				phi = 180
			}
		case yr == 0:
			if xr < 0 {
				phi = -90
			} else {
				phi = 90
			}
		default:
			phi += 45 + xi1/sigma
		}
		if sigma < w3 {
			theta = 90 - sigma*w4
		} else {
			theta = asind(1 - sigma*sigma/3)
		}
		if eta < 0 {
			theta = -theta
		}
		if eta < -45 && eta+90+tol < math.Abs(xi1) {
			ok = false
		}
	}
	if !ok {
		return phi, theta, false
	}
	return bchk(1e-12, phi, theta)
}

func (p *xphPrj) s2x(phi, theta float64) (float64, float64, bool) {
	w0 := 1 / math.Sqrt(2)
	w2 := 2.0 / 3.0
	w4 := math.Sqrt(w2) * r2d
	w5 := 90 - 1e-4*w4
	w6 := math.Sqrt(1.5) * d2r
	chi := phi
	if 180 <= math.Abs(chi) {
		chi = math.Mod(chi, 360)
		if chi < -180 {
			chi += 360
		} else if 180 <= chi {
			chi -= 360
		}
	}
	chi += 180
	psi := math.Mod(chi, 90)
	ph := chi - 180
	sinthe := sind(theta)
	abssin := math.Abs(sinthe)
	var xi, eta float64
	if abssin <= w2 {
		xi = psi
		eta = 67.5 * sinthe
	} else {
		var sigma float64
		if theta < w5 {
			sigma = math.Sqrt(3 * (1 - abssin))
		} else {
			sigma = (90 - theta) * w6
		}
		xi = 45 + (psi-45)*sigma
		eta = 45 * (2 - sigma)
		if theta < 0 {
			eta = -eta
		}
	}
	xi -= 45
	eta -= 90
	switch {
	case ph < -90:
		return w0*(-xi+eta) - p.x0, w0*(-xi-eta) - p.y0, true
	case ph < 0:
		return w0*(xi+eta) - p.x0, w0*(-xi+eta) - p.y0, true
	case ph < 90:
		return w0*(xi-eta) - p.x0, w0*(xi+eta) - p.y0, true
	}
	return w0*(-xi-eta) - p.x0, w0*(xi-eta) - p.y0, true
}
