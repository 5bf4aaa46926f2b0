package wcs

import "math"

// sip is the Simple Imaging Polynomial distortion (Shupe et al. 2005), applied
// in pixel space before the linear transformation, as astropy does.
type sip struct {
	crpix  [2]float64
	a, b   poly2 // forward: u' = u + A(u,v), v' = v + B(u,v)
	ap, bp poly2 // optional inverse approximations (AP/BP)
	hasInv bool
}

// poly2 is a bivariate polynomial sum c[i][j] u^i v^j over i+j <= order,
// stored row by row for Horner evaluation.
type poly2 struct {
	order int
	c     [][]float64 // c[i][j], j <= order-i
}

func newPoly2(order int) poly2 {
	p := poly2{order: order, c: make([][]float64, order+1)}
	for i := range p.c {
		p.c[i] = make([]float64, order+1-i)
	}
	return p
}

// eval returns the polynomial at (u, v).
func (p *poly2) eval(u, v float64) float64 {
	s := 0.0
	for i := p.order; i >= 0; i-- {
		row := p.c[i]
		t := 0.0
		for j := len(row) - 1; j >= 0; j-- {
			t = t*v + row[j]
		}
		s = s*u + t
	}
	return s
}

// forward maps a pixel (x, y) to the distortion-corrected "focal" pixel.
func (s *sip) forward(x, y float64) (float64, float64) {
	u, v := x-s.crpix[0], y-s.crpix[1]
	return x + s.a.eval(u, v), y + s.b.eval(u, v)
}

// inverse solves forward(x, y) = (fx, fy) the way astropy's all_world2pix
// does (tolerance 1e-12 px, at most 20 iterations): fixed-point iteration
// x_{k+1} = x_k - (forward(x_k) - f), stopping a point's iteration when its
// correction grows (divergence). Like astropy, the best solution reached is
// returned even when the iteration did not converge; ok is false only when
// it is not finite.
func (s *sip) inverse(fx, fy float64) (x, y float64, ok bool) {
	const tol2 = 1e-12 * 1e-12
	const maxiter = 20
	x, y = fx, fy
	gx, gy := s.forward(x, y)
	dx, dy := gx-fx, gy-fy
	x -= dx
	y -= dy
	dn := dx*dx + dy*dy
	dnprev := dn
	for k := 1; dn >= tol2 && k < maxiter; k++ {
		gx, gy = s.forward(x, y)
		dx, dy = gx-fx, gy-fy
		dn = dx*dx + dy*dy
		if dn >= dnprev && dn >= tol2 {
			break // diverging: keep the previous approximation
		}
		dnprev = dn
		x -= dx
		y -= dy
	}
	if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return 0, 0, false
	}
	return x, y, true
}

// tpv is the TPV polynomial distortion (PVi_0..PVi_39 on both celestial
// axes), applied as WCSLIB does: to the intermediate coordinates after the
// PC matrix and before CDELT.
type tpv struct {
	c     [2][40]float64
	terms [2][]tpvTerm // the non-zero terms, for evaluation
	deg   [2]int       // highest power of x or y needed
	rad   [2]bool      // any radial term
}

type tpvTerm struct {
	c          float64
	px, py, pr int8
}

func newTPV(c [2][40]float64) *tpv {
	t := &tpv{c: c}
	for a := 0; a < 2; a++ {
		for k, v := range c[a] {
			if v == 0 {
				continue
			}
			p := tpvTerms[k]
			t.terms[a] = append(t.terms[a], tpvTerm{v, p[0], p[1], p[2]})
			t.deg[a] = max(t.deg[a], int(p[0]), int(p[1]))
			if p[2] != 0 {
				t.rad[a] = true
			}
		}
	}
	return t
}

// tpvTerms gives the powers (x, y, r) of TPV term k for the first axis; the
// second axis swaps x and y.
var tpvTerms = [40][3]int8{
	{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
	{2, 0, 0}, {1, 1, 0}, {0, 2, 0},
	{3, 0, 0}, {2, 1, 0}, {1, 2, 0}, {0, 3, 0}, {0, 0, 3},
	{4, 0, 0}, {3, 1, 0}, {2, 2, 0}, {1, 3, 0}, {0, 4, 0},
	{5, 0, 0}, {4, 1, 0}, {3, 2, 0}, {2, 3, 0}, {1, 4, 0}, {0, 5, 0}, {0, 0, 5},
	{6, 0, 0}, {5, 1, 0}, {4, 2, 0}, {3, 3, 0}, {2, 4, 0}, {1, 5, 0}, {0, 6, 0}, {0, 0, 7},
	{7, 0, 0}, {6, 1, 0}, {5, 2, 0}, {4, 3, 0}, {3, 4, 0}, {2, 5, 0}, {1, 6, 0}, {0, 7, 0},
}

func (t *tpv) eval(a int, x, y float64) float64 {
	var xp, yp [8]float64
	xp[0], yp[0] = 1, 1
	for i := 1; i <= t.deg[a]; i++ {
		xp[i] = xp[i-1] * x
		yp[i] = yp[i-1] * y
	}
	var rp [8]float64
	if t.rad[a] {
		r := math.Sqrt(x*x + y*y)
		r2 := r * r
		rp[1] = r
		rp[3] = r * r2
		rp[5] = rp[3] * r2
		rp[7] = rp[5] * r2
	}
	s := 0.0
	for _, k := range t.terms[a] {
		if k.pr != 0 {
			s += k.c * rp[k.pr]
		} else {
			s += k.c * xp[k.px] * yp[k.py]
		}
	}
	return s
}

func (t *tpv) forward(x, y float64) (float64, float64) {
	return t.eval(0, x, y), t.eval(1, y, x)
}

// sequent is a distortion applied between the PC matrix and CDELT (WCS
// Paper IV's "sequent" position): TPV, TNX, ZPX.
type sequent interface {
	forward(x, y float64) (float64, float64)
}

// disx2p solves t.forward(x, y) = (fx, fy) with WCSLIB's disx2p scheme: start
// from (fx, fy), at most 30 iterations of a secant step per axis (the full
// gradient in the second half), converged when each axis agrees to 1e-13
// (relative where |f| >= 1). Failure to converge is ok = false, as in WCSLIB.
func disx2p(t sequent, fx, fy float64) (x, y float64, ok bool) {
	const tol = 1e-13
	const itermax = 30
	dis := [2]float64{fx, fy}
	raw := dis
	var d0, d1, delta, r1 [2]float64
	f := func(r [2]float64) [2]float64 {
		a, b := t.forward(r[0], r[1])
		return [2]float64{a, b}
	}
	conv := false
	for iter := 0; iter < itermax; iter++ {
		d0 = f(raw)
		conv = true
		for j := 0; j < 2; j++ {
			delta[j] = dis[j] - d0[j]
			dd := delta[j]
			if math.Abs(dis[j]) >= 1 {
				dd = delta[j] / dis[j]
			}
			if !(math.Abs(dd) <= tol) {
				conv = false
			}
		}
		if conv {
			break
		}
		for j := 0; j < 2; j++ {
			delta[j] /= 2
			if math.Abs(delta[j]) < 1e-6 {
				delta[j] = copysign(1e-6, delta[j])
			} else if math.Abs(delta[j]) > 1 {
				delta[j] = copysign(1, delta[j])
			}
		}
		if iter < itermax/2 {
			for j := 0; j < 2; j++ {
				r1[j] = raw[j] + delta[j]
			}
			d1 = f(r1)
			for j := 0; j < 2; j++ {
				raw[j] += (dis[j] - d0[j]) * (delta[j] / (d1[j] - d0[j]))
			}
		} else {
			r1 = raw
			for j := 0; j < 2; j++ {
				r1[j] += delta[j]
				d1 = f(r1)
				raw[j] += (dis[j] - d0[j]) * (delta[j] / (d1[j] - d0[j]))
				r1[j] -= delta[j]
			}
		}
	}
	if !conv || math.IsNaN(raw[0]) || math.IsNaN(raw[1]) {
		return 0, 0, false
	}
	return raw[0], raw[1], true
}
