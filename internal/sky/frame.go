package sky

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is a family of celestial reference frames.
type Kind int

// Frame kinds.
const (
	ICRS                Kind = iota // International Celestial Reference System
	FK5                             // mean equator and equinox (Julian epoch) of FK5, IAU 2006 precession as astropy
	FK4                             // FK4 with E-terms of aberration, Besselian equinox and observation epoch
	FK4NoETerms                     // FK4 without E-terms of aberration
	Galactic                        // IAU 1958 galactic coordinates as astropy defines them
	EclipticBarycentric             // astropy BarycentricMeanEcliptic: mean ecliptic and equinox of date, IAU 2006
	EclipticGeocentric              // astropy GeocentricMeanEcliptic: as seen from the geocentre (GCRS: aberration, light deflection)
)

var kindNames = [...]string{"ICRS", "FK5", "FK4", "FK4-NO-E", "Galactic", "BarycentricMeanEcliptic", "GeocentricMeanEcliptic"}

// String returns the name of the kind.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "Kind(" + strconv.Itoa(int(k)) + ")"
	}
	return kindNames[k]
}

// Frame is a celestial reference frame. The zero value is ICRS.
//
// Equinox is a Julian epoch (e.g. 2000) for FK5 and the ecliptic frames and a
// Besselian epoch (e.g. 1950) for FK4; 0 means the default (J2000, or B1950
// for FK4). Obstime is the epoch of observation: a Besselian epoch for FK4
// (0 means equal to Equinox, as astropy), a Julian epoch for
// EclipticGeocentric (0 means J2000, as astropy). Both are ignored for the
// other kinds.
type Frame struct {
	Kind    Kind
	Equinox float64
	Obstime float64
}

// Common frames, with astropy's default attributes.
var (
	FrameICRS                = Frame{Kind: ICRS}
	FrameFK5J2000            = Frame{Kind: FK5, Equinox: 2000}
	FrameFK4B1950            = Frame{Kind: FK4, Equinox: 1950, Obstime: 1950}
	FrameGalactic            = Frame{Kind: Galactic}
	FrameEclipticBarycentric = Frame{Kind: EclipticBarycentric, Equinox: 2000}
	FrameEclipticGeocentric  = Frame{Kind: EclipticGeocentric, Equinox: 2000, Obstime: 2000}
)

// normalized returns f with defaults filled in, or an error for invalid
// attributes.
func (f Frame) normalized() (Frame, error) {
	switch f.Kind {
	case ICRS, Galactic:
		return Frame{Kind: f.Kind}, nil
	case FK5, EclipticBarycentric:
		if f.Equinox == 0 {
			f.Equinox = 2000
		}
		f.Obstime = 0
	case FK4, FK4NoETerms:
		if f.Equinox == 0 {
			f.Equinox = 1950
		}
		if f.Obstime == 0 {
			f.Obstime = f.Equinox
		}
	case EclipticGeocentric:
		if f.Equinox == 0 {
			f.Equinox = 2000
		}
		if f.Obstime == 0 {
			f.Obstime = 2000
		}
	default:
		return f, fmt.Errorf("sky: unknown frame kind %d", int(f.Kind))
	}
	for _, v := range []float64{f.Equinox, f.Obstime} {
		if math.IsNaN(v) || v < -10000 || v > 10000 {
			return f, fmt.Errorf("sky: %v: equinox/obstime %v out of range [-10000, 10000]", f.Kind, v)
		}
	}
	return f, nil
}

// String returns a short description such as "FK5(J2000)" or "FK4(B1950)".
func (f Frame) String() string {
	n, err := f.normalized()
	if err != nil {
		return f.Kind.String()
	}
	g := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch n.Kind {
	case FK5, EclipticBarycentric:
		return fmt.Sprintf("%v(J%s)", n.Kind, g(n.Equinox))
	case FK4, FK4NoETerms:
		if n.Obstime != n.Equinox {
			return fmt.Sprintf("%v(B%s, obstime B%s)", n.Kind, g(n.Equinox), g(n.Obstime))
		}
		return fmt.Sprintf("%v(B%s)", n.Kind, g(n.Equinox))
	case EclipticGeocentric:
		return fmt.Sprintf("%v(J%s, obstime J%s)", n.Kind, g(n.Equinox), g(n.Obstime))
	}
	return n.Kind.String()
}

// ParseFrame parses a frame name as found in FITS RADESYS and CTYPE
// keywords, DS9 region files and HiPS properties (hips_frame), case
// insensitively: "icrs", "fk5", "fk4", "fk4-no-e", "j2000" (FK5 J2000),
// "b1950" (FK4 B1950), "galactic"/"gal"/"GLON"/"GLAT", "ecliptic"/"ecl"/
// "ELON"/"ELAT" (barycentric mean ecliptic of J2000, the frame of HiPS and
// of FITS ecliptic axes), "geocentricmeanecliptic", "equatorial"/"RA"/"DEC"
// (ICRS, as hips_frame uses it). An equinox may follow the name: "fk5 J2015.5",
// "fk4(B1900)", "FK4 1950". CTYPE values such as "RA---TAN" or "GLON-CAR" are
// accepted by their axis part.
func ParseFrame(name string) (Frame, error) {
	s := strings.ToLower(strings.TrimSpace(name))
	if s == "" {
		return Frame{}, fmt.Errorf("sky.ParseFrame: empty frame name")
	}
	if len(s) > 64 {
		return Frame{}, fmt.Errorf("sky.ParseFrame %q: name too long", truncate(name))
	}
	// Split off an equinox: "fk5 j2000", "fk5(j2000)", "fk5,2000", "fk5_j2000".
	base, eq := s, ""
	if i := strings.IndexAny(s, " (,_=\t"); i > 0 {
		base = s[:i]
		eq = strings.Trim(strings.TrimSpace(s[i:]), " (),_=\t")
		eq = strings.TrimPrefix(eq, "equinox")
		eq = strings.Trim(eq, " =")
	}
	// CTYPE axis names with projection codes: "ra---tan", "glon-car".
	if i := strings.IndexByte(base, '-'); i > 0 && base != "fk4-no-e" {
		switch base[:i] {
		case "ra", "dec", "glon", "glat", "elon", "elat":
			base = base[:i]
		}
	}
	var f Frame
	switch base {
	case "icrs", "equatorial", "equ", "eq", "c", "ra", "dec", "icrf":
		f = FrameICRS
	case "fk5", "j2000":
		f = FrameFK5J2000
	case "fk4", "b1950":
		f = FrameFK4B1950
	case "fk4-no-e", "fk4noeterms", "fk4_no_e":
		f = Frame{Kind: FK4NoETerms, Equinox: 1950, Obstime: 1950}
	case "galactic", "gal", "g", "glon", "glat":
		f = FrameGalactic
	case "ecliptic", "ecl", "e", "elon", "elat", "barycentricmeanecliptic", "barycentricecliptic":
		f = FrameEclipticBarycentric
	case "geocentricmeanecliptic", "geocentricecliptic":
		f = FrameEclipticGeocentric
	default:
		return Frame{}, fmt.Errorf("sky.ParseFrame %q: unknown frame %q", truncate(name), base)
	}
	if eq != "" {
		if f.Kind == ICRS || f.Kind == Galactic {
			return Frame{}, fmt.Errorf("sky.ParseFrame %q: %v takes no equinox", truncate(name), f.Kind)
		}
		y, besselian, err := parseEpoch(eq, f.Kind == FK4 || f.Kind == FK4NoETerms)
		if err != nil {
			return Frame{}, fmt.Errorf("sky.ParseFrame %q: %w", truncate(name), err)
		}
		switch f.Kind {
		case FK4, FK4NoETerms:
			if !besselian {
				y = besselianEpoch(jdFromJulianEpoch(y))
			}
			f.Equinox, f.Obstime = y, y
		default:
			if besselian {
				y = julianEpoch(jdFromBesselianEpoch(y))
			}
			f.Equinox = y
		}
	}
	if _, err := f.normalized(); err != nil {
		return Frame{}, fmt.Errorf("sky.ParseFrame %q: %w", truncate(name), err)
	}
	return f, nil
}

// parseEpoch parses "J2000", "B1950", "2000.0": a plain number is Besselian
// when defBesselian (FITS EQUINOX for FK4), else Julian.
func parseEpoch(s string, defBesselian bool) (year float64, besselian bool, err error) {
	besselian = defBesselian
	switch {
	case strings.HasPrefix(s, "j"):
		besselian, s = false, s[1:]
	case strings.HasPrefix(s, "b"):
		besselian, s = true, s[1:]
	}
	y, perr := strconv.ParseFloat(s, 64)
	if perr != nil || math.IsNaN(y) || y < -10000 || y > 10000 {
		return 0, false, fmt.Errorf("bad equinox %q", s)
	}
	return y, besselian, nil
}
