package wcs

import (
	"math"
	"strconv"
	"strings"
)

// dssPlate is the Digitized Sky Survey plate solution (PLTRAH..., PPO3/PPO6,
// XPIXELSZ/YPIXELSZ, CNPIX1/2, AMDX1..13, AMDY1..13), which WCSLIB (and so
// astropy) reads in preference to the approximate CRVAL/CD cards such
// headers also carry. It maps pixels to gnomonic standard coordinates
// (xi, eta) about the plate centre; the TAN projection does the rest.
type dssPlate struct {
	raDeg, decDeg      float64
	ppo3, ppo6         float64
	xpixelsz, ypixelsz float64
	cnpix1, cnpix2     float64
	amdx, amdy         [13]float64
	key                keywords // for Header()
}

func readDSS(k keywords) (*dssPlate, bool) {
	for _, key := range []string{"PLTRAH", "PLTDECD", "PPO3", "PPO6", "XPIXELSZ", "YPIXELSZ", "AMDX1", "AMDY1"} {
		if _, ok := k.float(key); !ok {
			return nil, false
		}
	}
	d := &dssPlate{key: k}
	h, _ := k.float("PLTRAH")
	m, _ := k.float("PLTRAM")
	s, _ := k.float("PLTRAS")
	d.raDeg = (h + m/60 + s/3600) * 15
	dd, _ := k.float("PLTDECD")
	dm, _ := k.float("PLTDECM")
	ds, _ := k.float("PLTDECS")
	d.decDeg = math.Abs(dd) + dm/60 + ds/3600
	if strings.HasPrefix(strings.TrimSpace(k.str["PLTDECSN"]), "-") || dd < 0 {
		d.decDeg = -d.decDeg
	}
	d.ppo3, _ = k.float("PPO3")
	d.ppo6, _ = k.float("PPO6")
	d.xpixelsz, _ = k.float("XPIXELSZ")
	d.ypixelsz, _ = k.float("YPIXELSZ")
	d.cnpix1, _ = k.float("CNPIX1")
	d.cnpix2, _ = k.float("CNPIX2")
	for i := 0; i < 13; i++ {
		d.amdx[i], _ = k.float("AMDX" + strconv.Itoa(i+1))
		d.amdy[i], _ = k.float("AMDY" + strconv.Itoa(i+1))
	}
	if d.xpixelsz == 0 || d.ypixelsz == 0 {
		return nil, false
	}
	return d, true
}

// amd evaluates the 13 positional plate-model terms (arcsec) at (x, y) mm,
// with its partial derivatives.
func amd(c *[13]float64, x, y float64) (f, fx, fy float64) {
	r2 := x*x + y*y
	f = c[0]*x + c[1]*y + c[2] + c[3]*x*x + c[4]*x*y + c[5]*y*y + c[6]*r2 +
		c[7]*x*x*x + c[8]*x*x*y + c[9]*x*y*y + c[10]*y*y*y + c[11]*x*r2 + c[12]*x*r2*r2
	fx = c[0] + 2*c[3]*x + c[4]*y + 2*c[6]*x + 3*c[7]*x*x + 2*c[8]*x*y + c[9]*y*y +
		c[11]*(r2+2*x*x) + c[12]*(r2*r2+4*x*x*r2)
	fy = c[1] + c[4]*x + 2*c[5]*y + 2*c[6]*y + c[8]*x*x + 2*c[9]*x*y + 3*c[10]*y*y +
		c[11]*2*x*y + c[12]*4*x*y*r2
	return f, fx, fy
}

// forward maps a pixel to standard coordinates (xi, eta) in degrees.
func (d *dssPlate) forward(px, py float64) (float64, float64) {
	xmm := (d.ppo3 - (px+d.cnpix1-0.5)*d.xpixelsz) / 1000
	ymm := ((py+d.cnpix2-0.5)*d.ypixelsz - d.ppo6) / 1000
	xi, _, _ := amd(&d.amdx, xmm, ymm)
	eta, _, _ := amd(&d.amdy, ymm, xmm)
	return xi / 3600, eta / 3600
}

// inverse solves forward(px, py) = (xi, eta) by Newton's method on the plate
// polynomial (at most 50 steps).
func (d *dssPlate) inverse(xi, eta float64) (px, py float64, ok bool) {
	txi, teta := xi*3600, eta*3600
	a, b, c := d.amdx[0], d.amdx[1], d.amdx[2]
	e, dd, f := d.amdy[0], d.amdy[1], d.amdy[2]
	det := a*e - b*dd
	if det == 0 {
		return 0, 0, false
	}
	x := (e*(txi-c) - b*(teta-f)) / det
	y := (a*(teta-f) - dd*(txi-c)) / det
	conv := false
	for k := 0; k < 50; k++ {
		fxi, fxix, fxiy := amd(&d.amdx, x, y)
		feta, fetay, fetax := amd(&d.amdy, y, x)
		rx, ry := fxi-txi, feta-teta
		j := fxix*fetay - fxiy*fetax
		if j == 0 || math.IsNaN(j) || math.IsInf(j, 0) {
			return 0, 0, false
		}
		dx := (fetay*rx - fxiy*ry) / j
		dy := (-fetax*rx + fxix*ry) / j
		x -= dx
		y -= dy
		if math.Abs(dx)+math.Abs(dy) <= 1e-15*(1+math.Abs(x)+math.Abs(y)) {
			conv = true
			break
		}
	}
	if !conv {
		fxi, _, _ := amd(&d.amdx, x, y)
		feta, _, _ := amd(&d.amdy, y, x)
		if math.Abs(fxi-txi)+math.Abs(feta-teta) > 1e-9 {
			return 0, 0, false
		}
	}
	px = (d.ppo3-x*1000)/d.xpixelsz - d.cnpix1 + 0.5
	py = (y*1000+d.ppo6)/d.ypixelsz - d.cnpix2 + 0.5
	return px, py, !math.IsNaN(px) && !math.IsNaN(py)
}
