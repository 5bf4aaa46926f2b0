package wcs

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/skyglass/skyglass/internal/fits"
)

// maxAxes bounds the number of WCS axes read from a header (FITS allows 999;
// WCS keywords allow two digits).
const maxAxes = 99

// keywords is the WCS-relevant content of a header: every card's value by
// keyword, the last card winning as in WCSLIB's header parser.
type keywords struct {
	num map[string]float64
	str map[string]string
}

func collect(h *fits.Header) keywords {
	k := keywords{num: map[string]float64{}, str: map[string]string{}}
	for _, c := range h.Cards {
		switch c.Kind {
		case fits.KindInt, fits.KindFloat:
			k.num[c.Key] = c.Float
			delete(k.str, c.Key)
		case fits.KindString:
			k.str[c.Key] = c.Str
			delete(k.num, c.Key)
		}
	}
	return k
}

func (k keywords) float(key string) (float64, bool) {
	v, ok := k.num[key]
	return v, ok
}

func (k keywords) has(key string) bool {
	if _, ok := k.num[key]; ok {
		return true
	}
	_, ok := k.str[key]
	return ok
}

// indexed parses keys of the form PREFIXn (n = 1..maxAxes).
func indexed(key, prefix string) (int, bool) {
	if !strings.HasPrefix(key, prefix) {
		return 0, false
	}
	n, err := strconv.Atoi(key[len(prefix):])
	if err != nil || n < 1 || n > maxAxes || key[len(prefix)] == '+' || key[len(prefix)] == '-' {
		return 0, false
	}
	return n, true
}

// pair parses PREFIXi_j keys (and, for PC/CD, the old PCiiijjj form).
func pair(key, prefix string, oldForm bool) (i, j int, ok bool) {
	if !strings.HasPrefix(key, prefix) {
		return 0, 0, false
	}
	rest := key[len(prefix):]
	if u := strings.IndexByte(rest, '_'); u > 0 {
		a, err1 := strconv.Atoi(rest[:u])
		b, err2 := strconv.Atoi(rest[u+1:])
		if err1 != nil || err2 != nil || strings.ContainsAny(rest, "+-") {
			return 0, 0, false
		}
		return a, b, true
	}
	if oldForm && len(rest) == 6 {
		a, err1 := strconv.Atoi(rest[:3])
		b, err2 := strconv.Atoi(rest[3:])
		if err1 == nil && err2 == nil && !strings.ContainsAny(rest, "+-") {
			return a, b, true
		}
	}
	return 0, 0, false
}

// axisInfo is the celestial meaning of one CTYPE.
type axisInfo struct {
	lng, lat bool
	kind     string // "RA"/"DEC" pair key: "RA", or the x in xLON, or xy in xyLN
	typ      string // "RA", "DEC", "GLON", "GLAT", "HPLN", ...
	code     string // projection code
	sipFlag  bool   // "-SIP" suffix
}

// parseCtype classifies a CTYPE value as a celestial axis (or not).
func parseCtype(ct string) (axisInfo, bool) {
	var a axisInfo
	if len(ct) < 8 || ct[4] != '-' {
		return a, false
	}
	p := ct[:4]
	switch {
	case p == "RA--":
		a.lng, a.kind, a.typ = true, "EQ", "RA"
	case p == "DEC-":
		a.lat, a.kind, a.typ = true, "EQ", "DEC"
	case p[1:] == "LON":
		a.lng, a.kind, a.typ = true, p[:1], p
	case p[1:] == "LAT":
		a.lat, a.kind, a.typ = true, p[:1], p
	case p[2:] == "LN":
		a.lng, a.kind, a.typ = true, p[:2], p
	case p[2:] == "LT":
		a.lat, a.kind, a.typ = true, p[:2], p
	default:
		return a, false
	}
	a.code = ct[5:8]
	if rest := strings.TrimRight(ct[8:], " "); rest == "-SIP" {
		a.sipFlag = true
	} else if rest != "" {
		a.code = ct[5:] // reported as unsupported below
	}
	return a, true
}

// unitScale returns the factor converting a celestial CUNIT to degrees.
// Unit strings are matched as WCSLIB's unit parser (after astropy's default
// unitfix) would accept them for angles; anything else is an error.
func unitScale(u string) (float64, bool) {
	s := strings.TrimSpace(u)
	switch s {
	case "", "deg", "DEG", "Deg", "degree", "degrees", "DEGREE", "DEGREES", "Degree", "Degrees", "d":
		return 1, true
	case "arcmin", "ARCMIN", "Arcmin", "arcminute", "arcminutes", "'":
		return 1.0 / 60, true
	case "arcsec", "ARCSEC", "Arcsec", "arcsecond", "arcseconds", "\"":
		return 1.0 / 3600, true
	case "mas", "marcsec":
		return 1.0 / 3.6e6, true
	case "uas", "uarcsec":
		return 1.0 / 3.6e9, true
	case "rad", "RAD", "radian", "radians", "Rad":
		return 180 / math.Pi, true
	case "mrad":
		return 180 / math.Pi / 1e3, true
	}
	return 0, false
}

// FrameKind says which celestial coordinate system a WCS's world coordinates are in.
type FrameKind int

// Celestial coordinate systems.
const (
	FrameOther           FrameKind = iota // any other xLON/xLAT or xyLN/xyLT pair
	FrameEquatorial                       // RA/DEC; see Frame.RADESYS and Frame.Equinox
	FrameGalactic                         // GLON/GLAT
	FrameEcliptic                         // ELON/ELAT
	FrameSupergalactic                    // SLON/SLAT
	FrameHelioprojective                  // HPLN/HPLT
	FrameHeliographic                     // HGLN/HGLT (Stonyhurst)
	FrameCarrington                       // CRLN/CRLT
)

// Frame describes the celestial frame of a WCS so that callers (internal/sky)
// can convert between frames.
type Frame struct {
	Kind FrameKind
	// Name is a lower-case name: "equatorial", "galactic", "ecliptic",
	// "supergalactic", "helioprojective", "heliographic", "carrington", or
	// "other".
	Name string
	// LonType and LatType are the CTYPE prefixes without dashes ("RA", "DEC",
	// "GLON", "GLAT", ...).
	LonType, LatType string
	// RADESYS is the reference system (ICRS, FK5, FK4, FK4-NO-E, GAPPT) for
	// equatorial and ecliptic frames, with WCSLIB's defaults: ICRS without
	// EQUINOX, FK4 for EQUINOX < 1984, FK5 otherwise. Empty for other frames.
	RADESYS string
	// Equinox is the equinox in years (Besselian for FK4, Julian otherwise);
	// NaN where not applicable (ICRS, GAPPT, non-equatorial frames).
	Equinox float64
}

func frameOf(lngTyp, latTyp string, k keywords) Frame {
	f := Frame{LonType: strings.TrimRight(lngTyp, "-"), LatType: strings.TrimRight(latTyp, "-"), Equinox: math.NaN()}
	switch f.LonType {
	case "RA":
		f.Kind, f.Name = FrameEquatorial, "equatorial"
	case "GLON":
		f.Kind, f.Name = FrameGalactic, "galactic"
	case "ELON":
		f.Kind, f.Name = FrameEcliptic, "ecliptic"
	case "SLON":
		f.Kind, f.Name = FrameSupergalactic, "supergalactic"
	case "HPLN":
		f.Kind, f.Name = FrameHelioprojective, "helioprojective"
	case "HGLN":
		f.Kind, f.Name = FrameHeliographic, "heliographic"
	case "CRLN":
		f.Kind, f.Name = FrameCarrington, "carrington"
	default:
		f.Kind, f.Name = FrameOther, "other"
	}
	if f.LonType != "RA" && f.LonType != "ELON" && f.LonType != "HLON" {
		return f
	}
	eq := math.NaN()
	if v, ok := k.float("EQUINOX"); ok {
		eq = v
	} else if v, ok := k.float("EPOCH"); ok {
		eq = v
	}
	sys := strings.ToUpper(strings.TrimSpace(k.str["RADESYS"]))
	if sys == "" {
		sys = strings.ToUpper(strings.TrimSpace(k.str["RADECSYS"]))
	}
	switch {
	case sys == "":
		switch {
		case undefined(eq):
			sys = "ICRS"
		case eq < 1984:
			sys = "FK4"
		default:
			sys = "FK5"
		}
	case sys == "ICRS" || sys == "GAPPT":
		eq = math.NaN()
	case undefined(eq):
		switch sys {
		case "FK5":
			eq = 2000
		case "FK4", "FK4-NO-E":
			eq = 1950
		}
	}
	f.RADESYS, f.Equinox = sys, eq
	return f
}

// headerError names the keyword at fault.
func headerError(key, format string, a ...any) error {
	return fmt.Errorf("wcs: %s: %s", key, fmt.Sprintf(format, a...))
}
