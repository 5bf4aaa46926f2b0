package sky

import (
	"fmt"
	"math"
	"strings"
)

// FrameFromFITS returns the celestial frame of a FITS WCS from the CTYPE of
// its longitude axis (e.g. "RA---TAN", "GLON-CAR", "ELON-SIN"), RADESYS and
// EQUINOX (NaN when the keyword is absent), following FITS WCS Paper II and
// WCSLIB/astropy: for RA/DEC axes without RADESYS the frame is ICRS if
// EQUINOX is absent, FK4 if EQUINOX < 1984, else FK5; EQUINOX defaults to
// B1950 for FK4 and FK4-NO-E and J2000 for FK5. GLON gives galactic and
// ELON the mean ecliptic of EQUINOX (J2000 by default). Unsupported systems
// (e.g. RADESYS = GAPPT, planetary or helioprojective axes) give an error.
func FrameFromFITS(ctype, radesys string, equinox float64) (Frame, error) {
	axis := strings.ToUpper(strings.TrimSpace(ctype))
	if i := strings.IndexByte(axis, '-'); i >= 0 {
		axis = axis[:i]
	}
	rs := strings.ToUpper(strings.TrimSpace(radesys))
	if math.IsInf(equinox, 0) || (!math.IsNaN(equinox) && (equinox < -10000 || equinox > 10000)) {
		return Frame{}, fmt.Errorf("sky.FrameFromFITS: EQUINOX %v out of range", equinox)
	}
	hasEq := !math.IsNaN(equinox)
	switch axis {
	case "RA", "DEC":
	case "GLON", "GLAT":
		return FrameGalactic, nil
	case "ELON", "ELAT":
		f := FrameEclipticBarycentric
		if hasEq {
			f.Equinox = equinox
		}
		return f, nil
	default:
		return Frame{}, fmt.Errorf("sky.FrameFromFITS: unsupported celestial axis type %q", ctype)
	}
	if rs == "" {
		switch {
		case !hasEq:
			rs = "ICRS"
		case equinox < 1984:
			rs = "FK4"
		default:
			rs = "FK5"
		}
	}
	switch rs {
	case "ICRS":
		return FrameICRS, nil
	case "FK5":
		f := FrameFK5J2000
		if hasEq {
			f.Equinox = equinox
		}
		return f, nil
	case "FK4", "FK4-NO-E":
		f := FrameFK4B1950
		if rs == "FK4-NO-E" {
			f.Kind = FK4NoETerms
		}
		if hasEq {
			f.Equinox, f.Obstime = equinox, equinox
		}
		return f, nil
	}
	return Frame{}, fmt.Errorf("sky.FrameFromFITS: unsupported RADESYS %q", radesys)
}
