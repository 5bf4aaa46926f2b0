package wcs

import (
	"errors"
	"math"
)

var errNeedPV1 = errors.New("PVi_1 (theta_a) is required on the latitude axis")

// ---- COP: conic perspective (PV2_1 = sigma, PV2_2 = delta).

type copPrj struct {
	prjBase
	w [6]float64
}

func newCOP(pv [pvN]float64) (*copPrj, error) {
	if undefined(pv[1]) {
		return nil, errNeedPV1
	}
	p := &copPrj{}
	pv = withDefaults(pv, 0, 0, math.NaN())
	p.pv = pv
	p.w[0] = sind(pv[1])
	if p.w[0] == 0 {
		return nil, errBadParam
	}
	p.w[1] = 1 / p.w[0]
	p.w[3] = r2d * cosd(pv[2])
	if p.w[3] == 0 {
		return nil, errBadParam
	}
	p.w[4] = 1 / p.w[3]
	p.w[5] = 1 / tand(pv[1])
	p.w[2] = p.w[3] * p.w[5]
	return p, nil
}

// conicAlpha returns r (signed by sign) and the angle alpha for conic inverses.
func conicAlpha(xj, dy float64, negative bool) (r, alpha float64) {
	r = math.Sqrt(xj*xj + dy*dy)
	if negative {
		r = -r
	}
	if r != 0 {
		alpha = atan2d(xj/r, dy/r)
	}
	return r, alpha
}

func (p *copPrj) x2s(x, y float64) (float64, float64, bool) {
	xj := x + p.x0
	dy := p.w[2] - (y + p.y0)
	r, alpha := conicAlpha(xj, dy, p.pv[1] < 0)
	return bchk(1e-13, alpha*p.w[1], p.pv[1]+atand(p.w[5]-r*p.w[4]))
}

func (p *copPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sina, cosa := sincosd(p.w[0] * phi)
	y0 := p.y0 - p.w[2]
	t := theta - p.pv[1]
	s := cosd(t)
	ok := true
	var r float64
	switch {
	case s == 0:
		r, ok = 0, false
	case math.Abs(theta) == 90:
		r = 0
		if (theta < 0) != (p.pv[1] < 0) {
			ok = false
		}
	default:
		r = p.w[2] - p.w[3]*sind(t)/s
		if r*p.w[0] < 0 {
			ok = false
		}
	}
	return r*sina - p.x0, -r*cosa - y0, ok
}

// ---- COE: conic equal area.

type coePrj struct {
	prjBase
	w [9]float64
}

func newCOE(pv [pvN]float64) (*coePrj, error) {
	if undefined(pv[1]) {
		return nil, errNeedPV1
	}
	p := &coePrj{}
	pv = withDefaults(pv, 0, 0, math.NaN())
	p.pv = pv
	th1 := pv[1] - pv[2]
	th2 := pv[1] + pv[2]
	p.w[0] = (sind(th1) + sind(th2)) / 2
	if p.w[0] == 0 {
		return nil, errBadParam
	}
	p.w[1] = 1 / p.w[0]
	p.w[3] = r2d / p.w[0]
	p.w[4] = 1 + sind(th1)*sind(th2)
	p.w[5] = 2 * p.w[0]
	p.w[6] = p.w[3] * p.w[3] * p.w[4]
	p.w[7] = 1 / (2 * r2d * p.w[3])
	p.w[8] = p.w[3] * math.Sqrt(p.w[4]+p.w[5])
	p.w[2] = p.w[3] * math.Sqrt(p.w[4]-p.w[5]*sind(pv[1]))
	return p, nil
}

func (p *coePrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-12
	xj := x + p.x0
	dy := p.w[2] - (y + p.y0)
	r, alpha := conicAlpha(xj, dy, p.pv[1] < 0)
	var t float64
	if math.Abs(r-p.w[8]) < tol {
		t = -90
	} else {
		w := (p.w[6] - r*r) * p.w[7]
		if math.Abs(w) > 1 {
			switch {
			case math.Abs(w-1) < tol:
				t = 90
			case math.Abs(w+1) < tol:
				t = -90
			default:
				return 0, 0, false
			}
		} else {
			t = asind(w)
		}
	}
	return bchk(1e-13, alpha*p.w[1], t)
}

func (p *coePrj) s2x(phi, theta float64) (float64, float64, bool) {
	sina, cosa := sincosd(p.w[0] * phi)
	y0 := p.y0 - p.w[2]
	var r float64
	if theta == -90 {
		r = p.w[8]
	} else {
		r = p.w[3] * math.Sqrt(p.w[4]-p.w[5]*sind(theta))
	}
	return r*sina - p.x0, -r*cosa - y0, true
}

// ---- COD: conic equidistant.

type codPrj struct {
	prjBase
	w [4]float64
}

func newCOD(pv [pvN]float64) (*codPrj, error) {
	if undefined(pv[1]) {
		return nil, errNeedPV1
	}
	p := &codPrj{}
	pv = withDefaults(pv, 0, 0, math.NaN())
	p.pv = pv
	if pv[2] == 0 {
		p.w[0] = r2d * sind(pv[1]) * d2r
	} else {
		p.w[0] = r2d * sind(pv[1]) * sind(pv[2]) / pv[2]
	}
	if p.w[0] == 0 {
		return nil, errBadParam
	}
	p.w[1] = 1 / p.w[0]
	p.w[2] = r2d * cosd(pv[2]) * cosd(pv[1]) / p.w[0]
	p.w[3] = p.w[2] + pv[1]
	return p, nil
}

func (p *codPrj) x2s(x, y float64) (float64, float64, bool) {
	xj := x + p.x0
	dy := p.w[2] - (y + p.y0)
	r, alpha := conicAlpha(xj, dy, p.pv[1] < 0)
	return bchk(1e-13, alpha*p.w[1], p.w[3]-r)
}

func (p *codPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sina, cosa := sincosd(p.w[0] * phi)
	y0 := p.y0 - p.w[2]
	r := p.w[3] - theta
	return r*sina - p.x0, -r*cosa - y0, true
}

// ---- COO: conic orthomorphic.

type cooPrj struct {
	prjBase
	w [5]float64
}

func newCOO(pv [pvN]float64) (*cooPrj, error) {
	if undefined(pv[1]) {
		return nil, errNeedPV1
	}
	p := &cooPrj{}
	pv = withDefaults(pv, 0, 0, math.NaN())
	p.pv = pv
	th1 := pv[1] - pv[2]
	th2 := pv[1] + pv[2]
	tan1 := tand((90 - th1) / 2)
	cos1 := cosd(th1)
	if th1 == th2 {
		p.w[0] = sind(th1)
	} else {
		tan2 := tand((90 - th2) / 2)
		cos2 := cosd(th2)
		p.w[0] = math.Log(cos2/cos1) / math.Log(tan2/tan1)
	}
	if p.w[0] == 0 || math.IsNaN(p.w[0]) || math.IsInf(p.w[0], 0) {
		return nil, errBadParam
	}
	p.w[1] = 1 / p.w[0]
	p.w[3] = r2d * (cos1 / p.w[0]) / math.Pow(tan1, p.w[0])
	if p.w[3] == 0 || math.IsNaN(p.w[3]) || math.IsInf(p.w[3], 0) {
		return nil, errBadParam
	}
	p.w[2] = p.w[3] * math.Pow(tand((90-pv[1])/2), p.w[0])
	p.w[4] = 1 / p.w[3]
	return p, nil
}

func (p *cooPrj) x2s(x, y float64) (float64, float64, bool) {
	xj := x + p.x0
	dy := p.w[2] - (y + p.y0)
	r, alpha := conicAlpha(xj, dy, p.pv[1] < 0)
	var t float64
	if r == 0 {
		if p.w[0] < 0 {
			t = -90
		} else {
			return 0, 0, false
		}
	} else {
		t = 90 - 2*atand(math.Pow(r*p.w[4], p.w[1]))
	}
	return bchk(1e-13, alpha*p.w[1], t)
}

func (p *cooPrj) s2x(phi, theta float64) (float64, float64, bool) {
	sina, cosa := sincosd(p.w[0] * phi)
	y0 := p.y0 - p.w[2]
	var r float64
	ok := true
	if theta == -90 {
		r = 0
		if p.w[0] >= 0 {
			ok = false
		}
	} else {
		r = p.w[3] * math.Pow(tand((90-theta)/2), p.w[0])
	}
	return r*sina - p.x0, -r*cosa - y0, ok
}

// ---- BON: Bonne (PV2_1 = theta_1); PV2_1 = 0 is Sanson-Flamsteed.

type bonPrj struct {
	prjBase
	sfl *sflPrj
	y0c float64 // Y0 = r0*(cot(theta1) + theta1)
}

func newBON(pv [pvN]float64) (*bonPrj, error) {
	if undefined(pv[1]) {
		return nil, errNeedPV1
	}
	p := &bonPrj{}
	p.pv = pv
	if pv[1] == 0 {
		p.sfl = &sflPrj{}
		return p, nil
	}
	p.y0c = r2d*cosd(pv[1])/sind(pv[1]) + pv[1]
	return p, nil
}

func (p *bonPrj) x2s(x, y float64) (float64, float64, bool) {
	if p.sfl != nil {
		p.sfl.x0, p.sfl.y0 = p.x0, p.y0
		return p.sfl.x2s(x, y)
	}
	xj := x + p.x0
	dy := p.y0c - (y + p.y0)
	r, alpha := conicAlpha(xj, dy, p.pv[1] < 0)
	t := p.y0c - r
	costhe := cosd(t)
	s := 0.0
	if costhe != 0 {
		s = alpha * (r / r2d) / costhe
	}
	return bchk(1e-11, s, t)
}

func (p *bonPrj) s2x(phi, theta float64) (float64, float64, bool) {
	if p.sfl != nil {
		p.sfl.x0, p.sfl.y0 = p.x0, p.y0
		return p.sfl.s2x(phi, theta)
	}
	y0 := p.y0 - p.y0c
	r := p.y0c - theta
	s := cosd(theta) / r
	alpha := s * r2d * phi
	if r == 0 {
		alpha = 0
	}
	sina, cosa := sincosd(alpha)
	return r*sina - p.x0, -r*cosa - y0, true
}

// ---- PCO: polyconic.

type pcoPrj struct{ prjBase }

func (p *pcoPrj) x2s(x, y float64) (float64, float64, bool) {
	const tol = 1e-12
	const w2 = 360 / math.Pi
	const w3 = d2r / w2
	xj := x + p.x0
	yj := y + p.y0
	w := math.Abs(yj)
	var phi, theta float64
	switch {
	case w < tol:
		phi, theta = xj, 0
	case math.Abs(w-90) < tol:
		phi, theta = 0, copysign(90, yj)
	default:
		var the, ymthe, tanthe float64
		if w < 1e-4 {
			the = yj / (1 + w3*xj*xj)
			ymthe = yj - the
			tanthe = tand(the)
		} else {
			thepos, theneg := yj, 0.0
			xx := xj * xj
			fpos, fneg := xx, -xx
			for k := 0; k < 64; k++ {
				lambda := fpos / (fpos - fneg)
				if lambda < 0.1 {
					lambda = 0.1
				} else if lambda > 0.9 {
					lambda = 0.9
				}
				the = thepos - lambda*(thepos-theneg)
				ymthe = yj - the
				tanthe = tand(the)
				f := xx + ymthe*(ymthe-w2/tanthe)
				if math.Abs(f) < tol || math.Abs(thepos-theneg) < tol {
					break
				}
				if f > 0 {
					thepos, fpos = the, f
				} else {
					theneg, fneg = the, f
				}
			}
		}
		x1 := r2d - ymthe*tanthe
		y1 := xj * tanthe
		if x1 != 0 || y1 != 0 {
			phi = atan2d(y1, x1) / sind(the)
		}
		theta = the
	}
	return bchk(1e-12, phi, theta)
}

func (p *pcoPrj) s2x(phi, theta float64) (float64, float64, bool) {
	const w3 = d2r / (360 / math.Pi)
	switch {
	case theta == 0:
		return phi - p.x0, -p.y0, true
	case math.Abs(theta) < 1e-4:
		x := phi * cosd(theta)
		return x - p.x0, (1+w3*x*x)*theta - p.y0, true
	}
	therad := theta * d2r
	sinthe, costhe := sincosd(theta)
	sinpsi, cospsi := sincosd(phi * sinthe)
	cotthe := costhe / sinthe
	return r2d*cotthe*sinpsi - p.x0, r2d*(cotthe*(1-cospsi)+therad) - p.y0, true
}
