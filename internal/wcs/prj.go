package wcs

import (
	"fmt"
	"math"
)

// pvN is the number of projection parameters PVi_0..PVi_29 on the latitude axis.
const pvN = 30

// projection is one spherical projection of Paper II: intermediate world
// coordinates (x, y) in degrees <-> native spherical coordinates (phi, theta).
type projection interface {
	x2s(x, y float64) (phi, theta float64, ok bool)
	s2x(phi, theta float64) (x, y float64, ok bool)
	base() *prjBase
}

// prjBase holds what every projection shares.
type prjBase struct {
	code         string
	pv           [pvN]float64 // PVi_m on the latitude axis; NaN = not given
	phi0, theta0 float64      // native coordinates of the fiducial point
	x0, y0       float64      // fiducial offsets (PVi_0 on the longitude axis)
}

func (b *prjBase) base() *prjBase { return b }

// undefined reports whether a parameter was not given.
func undefined(v float64) bool { return math.IsNaN(v) }

// bchk applies WCSLIB's prjbchk: native coordinates slightly outside
// [-180,180] x [-90,90] (by less than tol) are clamped, beyond are invalid.
func bchk(tol, phi, theta float64) (float64, float64, bool) {
	if phi < -180 {
		if phi < -180-tol {
			return phi, theta, false
		}
		phi = -180
	} else if phi > 180 {
		if phi > 180+tol {
			return phi, theta, false
		}
		phi = 180
	}
	if theta < -90 {
		if theta < -90-tol {
			return phi, theta, false
		}
		theta = -90
	} else if theta > 90 {
		if theta > 90+tol {
			return phi, theta, false
		}
		theta = 90
	}
	return phi, theta, true
}

// projCodes lists every projection code supported (all of Paper II).
var projCodes = []string{"AZP", "SZP", "TAN", "STG", "SIN", "ARC", "ZPN", "ZEA", "AIR",
	"CYP", "CEA", "CAR", "MER", "SFL", "PAR", "MOL", "AIT", "COP", "COE", "COD", "COO",
	"BON", "PCO", "TSC", "CSC", "QSC", "HPX", "XPH"}

// newProjection sets up projection code with parameters pv (NaN = absent). If
// offset is true, (phi0, theta0) are the fiducial point's native coordinates
// and (x, y) = (0, 0) is forced there, as WCSLIB's prjoff does.
func newProjection(code string, pv [pvN]float64, offset bool, phi0, theta0 float64) (projection, error) {
	var p projection
	var err error
	switch code {
	case "AZP":
		p, err = newAZP(pv)
	case "SZP":
		p, err = newSZP(pv)
	case "TAN":
		p = &tanPrj{}
	case "STG":
		p = &stgPrj{}
	case "SIN":
		p = newSIN(pv)
	case "ARC":
		p = &arcPrj{}
	case "ZPN":
		p, err = newZPN(pv)
	case "ZEA":
		p = &zeaPrj{}
	case "AIR":
		p, err = newAIR(pv)
	case "CYP":
		p, err = newCYP(pv)
	case "CEA":
		p, err = newCEA(pv)
	case "CAR":
		p = &carPrj{}
	case "MER":
		p = &merPrj{}
	case "SFL":
		p = &sflPrj{}
	case "PAR":
		p = &parPrj{}
	case "MOL":
		p = &molPrj{}
	case "AIT":
		p = &aitPrj{}
	case "COP":
		p, err = newCOP(pv)
	case "COE":
		p, err = newCOE(pv)
	case "COD":
		p, err = newCOD(pv)
	case "COO":
		p, err = newCOO(pv)
	case "BON":
		p, err = newBON(pv)
	case "PCO":
		p = &pcoPrj{}
	case "TSC":
		p = &tscPrj{}
	case "CSC":
		p = &cscPrj{}
	case "QSC":
		p = &qscPrj{}
	case "HPX":
		p, err = newHPX(pv)
	case "XPH":
		p = &xphPrj{}
	default:
		return nil, fmt.Errorf("unknown projection code %q", code)
	}
	if err != nil {
		return nil, fmt.Errorf("%s projection: %w", code, err)
	}
	b := p.base()
	b.code = code
	if b.pv == ([pvN]float64{}) {
		b.pv = pv
	}
	// Default fiducial point: (0, 90) for zenithals, (0, theta_a) for conics,
	// (0, 0) otherwise.
	dphi, dtheta := 0.0, 0.0
	switch code {
	case "AZP", "SZP", "TAN", "STG", "SIN", "ARC", "ZPN", "ZEA", "AIR", "XPH":
		dtheta = 90
	case "COP", "COE", "COD", "COO":
		dtheta = pv[1]
	case "BON":
		if pv[1] == 0 {
			dtheta = 0
		}
	}
	if !offset || undefined(phi0) || undefined(theta0) {
		b.phi0, b.theta0 = dphi, dtheta
		return p, nil
	}
	b.phi0, b.theta0 = phi0, theta0
	x0, y0, ok := p.s2x(phi0, theta0)
	if !ok {
		return nil, fmt.Errorf("%s projection: fiducial point (phi0, theta0) = (%g, %g) is outside the projection", code, phi0, theta0)
	}
	b.x0, b.y0 = x0, y0
	return p, nil
}
